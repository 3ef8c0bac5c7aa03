import { describe, expect, it } from 'vitest';
import { backupId, completeBackupIds } from './backup-manifest';
import { backupMetricsText } from './backup-metrics';
import { hasToTarget, nativeBackupStatement, retargetDatabase, tableKind } from './clickhouse-backup';
import { quoteIdentifier } from './clickhouse-backup.repository';
import { compareCounts, splitPassword } from './postgres-backup';

describe('backup ids and manifests', () => {
  it('makes sortable, key-safe ids', () => {
    expect(backupId(new Date('2026-12-05T03:00:00.123Z'))).toBe('2026-12-05T03-00-00-123Z');
  });

  it('only counts archives whose manifest was written (an interrupted run is never restored)', () => {
    const keys = [
      'p/postgres/2026-12-01T03-00-00-000Z/postgres.dump',
      'p/postgres/2026-12-01T03-00-00-000Z/manifest.json',
      'p/postgres/2026-12-03T03-00-00-000Z/postgres.dump', // interrupted
      'p/postgres/2026-12-02T03-00-00-000Z/manifest.json',
      'p/clickhouse/2026-12-04T03-00-00-000Z/manifest.json',
      'p/postgres/2026-12-02T03-00-00-000Z/nested/manifest.json',
    ];
    expect(completeBackupIds(keys, 'p', 'postgres')).toEqual([
      '2026-12-01T03-00-00-000Z',
      '2026-12-02T03-00-00-000Z',
    ]);
  });
});

describe('ClickHouse DDL handling', () => {
  it('classifies engines', () => {
    expect(tableKind('MergeTree')).toBe('table');
    expect(tableKind('View')).toBe('view');
    expect(tableKind('MaterializedView')).toBe('materialized-view');
  });

  it('tells views with a TO table from views with their own storage', () => {
    expect(hasToTarget('CREATE MATERIALIZED VIEW db.mv TO db.agg ( m UInt32) AS SELECT 1')).toBe(true);
    expect(
      hasToTarget('CREATE MATERIALIZED VIEW db.mv ( m UInt32) ENGINE = SummingMergeTree() AS SELECT 1'),
    ).toBe(false);
  });

  it('retargets database qualifiers, and only them', () => {
    const q =
      "CREATE MATERIALIZED VIEW sightline.mv TO sightline.agg (m UInt32) AS SELECT m FROM sightline.events WHERE x = 'sightline.events'";
    expect(retargetDatabase(q, 'sightline', 'restored')).toBe(
      "CREATE MATERIALIZED VIEW `restored`.mv TO `restored`.agg (m UInt32) AS SELECT m FROM `restored`.events WHERE x = 'sightline.events'",
    );
    expect(retargetDatabase('CREATE TABLE sightline.`.inner.mv` (m UInt32)', 'sightline', 'r')).toBe(
      'CREATE TABLE `r`.`.inner.mv` (m UInt32)',
    );
    expect(() => retargetDatabase('x', 'a;b', 'r')).toThrow();
  });

  it('quotes only plain identifiers', () => {
    expect(quoteIdentifier('events')).toBe('`events`');
    expect(quoteIdentifier('.inner.pages')).toBe('`.inner.pages`');
    for (const bad of ['a`b', 'a b', '', 'x;DROP', "e'"]) expect(() => quoteIdentifier(bad)).toThrow();
  });

  it('renders BACKUP … TO S3 for current releases with escaped literals', () => {
    expect(
      nativeBackupStatement({
        database: 'sightline',
        url: 'https://s3.example/b/ch/1',
        accessKeyId: 'AK',
        secretAccessKey: "se'cret",
      }),
    ).toBe("BACKUP DATABASE `sightline` TO S3('https://s3.example/b/ch/1', 'AK', 'se\\'cret')");
    expect(() =>
      nativeBackupStatement({ database: 'x`y', url: 'u', accessKeyId: 'a', secretAccessKey: 's' }),
    ).toThrow();
  });
});

describe('Postgres helpers', () => {
  it('keeps the password out of the URL the tools get on their command line', () => {
    expect(splitPassword('postgres://u:p%40ss@db:5432/app?sslmode=require')).toEqual({
      url: 'postgres://u@db:5432/app?sslmode=require',
      password: 'p@ss',
    });
    expect(splitPassword('postgres://u@db/app').password).toBeUndefined();
  });

  it('compares restored counts with the manifest, table by table', () => {
    expect(compareCounts({ 'public.a': 2, 'public.b': 3 }, { 'public.a': 2 })).toEqual({
      tables: [
        { name: 'public.a', expected: 2, restored: 2 },
        { name: 'public.b', expected: 3, restored: 0 },
      ],
      expectedRows: 5,
      restoredRows: 2,
    });
  });
});

describe('Pushgateway text', () => {
  const at = new Date('2026-12-05T03:00:00Z');
  it('reports success with size and duration', () => {
    const text = backupMetricsText({ store: 'postgres', ok: true, durationSeconds: 12.5, bytes: 2048, at });
    expect(text).toContain('sightline_backup_last_success_timestamp_seconds 1796439600\n');
    expect(text).toContain('sightline_backup_size_bytes 2048\n');
    expect(text).toContain('sightline_backup_duration_seconds 12.5\n');
  });
  it('reports failure without touching the last success', () => {
    const text = backupMetricsText({ store: 'clickhouse', ok: false, durationSeconds: 1, bytes: 0, at });
    expect(text).toContain('sightline_backup_last_failure_timestamp_seconds 1796439600\n');
    expect(text).not.toContain('last_success');
  });
});
