import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IMPORTED_TABLES,
  SITE_SCOPED_TABLES,
  sql,
  tableIdentifier,
  WebVitalsRepository,
} from '@sightline/clickhouse';
import { serializeVitalsRow } from '@sightline/events';
import { eventRow, insertRows, TestContext } from '@sightline/testing';
import { RetentionSweepJob } from '../src/retention/retention-sweep.job';
import { createWorkersApp, type WorkersApp } from '../src/workers-app';
import { testWorkersConfig } from './workers-harness';

describe('retention-sweep', () => {
  const ctx = new TestContext();
  let workers: WorkersApp;
  let job: RetentionSweepJob;

  beforeAll(async () => {
    workers = await createWorkersApp(testWorkersConfig({ RETENTION_DAYS_DEFAULT: '730' }), 'cli');
    job = workers.app.get(RetentionSweepJob);
  });
  afterAll(async () => {
    await workers.close();
    await ctx.close();
  });

  const context = () => ({ signal: new AbortController().signal, logger: workers.logger, attempt: 1 });
  it('sweeps every ClickHouse table that has a site_id column (a new one must join SITE_SCOPED_TABLES)', async () => {
    const select = async <T>(query: string) =>
      (await ctx.clickhouse.query({ query, format: 'JSONEachRow' })).json<T>();
    const views = new Set(
      (
        await select<{ name: string }>(
          sql`SELECT name FROM system.tables WHERE database = currentDatabase() AND engine IN ('MaterializedView', 'View')`
            .text,
        )
      ).map((t) => t.name),
    );
    const keyed = (
      await select<{ table: string }>(
        sql`SELECT DISTINCT table FROM system.columns WHERE database = currentDatabase() AND name = 'site_id'`
          .text,
      )
    )
      .map((c) => c.table)
      // Views store nothing (their rows live in the tables they write to); `.inner.` tables of
      // views without TO would be named here and fail this test, as they should.
      .filter((table) => !views.has(table))
      .sort();
    expect(keyed).toEqual(SITE_SCOPED_TABLES.map((t) => t.name).sort());
    for (const table of ['sessions', 'web_vitals', ...IMPORTED_TABLES]) expect(keyed).toContain(table);
  });
  const siteRow = async (id: number) =>
    (await ctx.pool.query('SELECT id, deleted_at FROM sites WHERE id = $1', [id])).rows[0] as
      { deleted_at: Date | null } | undefined;

  it("removes a deleted site's events and row, and nothing else", async () => {
    // Sites other test files deleted in this database are swept first, so the counts below are ours.
    await job.run(context());
    const doomed = await ctx.newSite();
    const sibling = await ctx.newSite({ orgId: doomed.orgId });
    const stranger = await ctx.newSite();
    const justDeleted = await ctx.newSite(); // inside the grace period: the ingest may still hold it
    const recent = new Date(Date.now() - 3 * 24 * 3600_000);
    await insertRows(ctx.clickhouse, [
      ...[1, 2, 3].map((v) => eventRow(doomed.id, recent, { visitor_id: BigInt(v) })),
      eventRow(doomed.id, '2025-11-02T10:00:00Z', { name: 'Signup' }),
      ...[1, 2].map((v) => eventRow(sibling.id, recent, { visitor_id: BigInt(v) })),
      ...[1, 2].map((v) => eventRow(stranger.id, recent, { visitor_id: BigInt(v) })),
      eventRow(justDeleted.id, recent),
    ]);
    // Imported history of the doomed site goes with it, in every imported_* table (and its sibling's stays).
    for (const table of IMPORTED_TABLES)
      for (const siteId of [doomed.id, sibling.id])
        await ctx.clickhouse.command({
          query:
            sql`INSERT INTO ${tableIdentifier(table)} (site_id, import_id, date) VALUES (${siteId}, 1, toDate('2025-11-02'))`
              .text,
        });
    // Web vitals are site data too: the doomed site's go, the sibling's stay.
    await new WebVitalsRepository(ctx.clickhouse).insertJsonLines(
      [doomed.id, sibling.id].map((siteId, i) =>
        serializeVitalsRow({
          event_id: BigInt(7_000 + i),
          visitor_id: 1n,
          site_id: siteId,
          timestamp: recent.toISOString().slice(0, 19).replace('T', ' '),
          hostname: 'h.test',
          pathname: '/',
          country_code: '',
          browser: '',
          os: '',
          device: '',
          lcp: 1000,
          inp: -1,
          cls: 0,
          fcp: 500,
          ttfb: 100,
        }),
      ),
    );
    const vitalsOf = async (siteId: number) => {
      const rs = await ctx.clickhouse.query({
        query: sql`SELECT count() AS c FROM web_vitals WHERE site_id = ${siteId}`.text,
        format: 'JSONEachRow',
      });
      return Number((await rs.json<{ c: string }>())[0]?.c);
    };
    // Every site-scoped table holds rows of both (sessions and events_hourly through their views).
    const before = await ctx.siteRowCounts(doomed.id);
    expect(Object.entries(before).filter(([, c]) => c === 0)).toEqual([]);
    expect(Object.entries(await ctx.siteRowCounts(sibling.id)).filter(([, c]) => c === 0)).toEqual([]);
    await ctx.pool.query("UPDATE sites SET deleted_at = now() - interval '1 hour' WHERE id = $1", [
      doomed.id,
    ]);
    await ctx.pool.query('UPDATE sites SET deleted_at = now() WHERE id = $1', [justDeleted.id]);

    const result = await job.run(context());
    // One batched mutation per site-scoped table: events, its rollups, sessions, web vitals and
    // every imported_* table; afterwards none holds a row of the doomed site, and the sibling's stay.
    expect(result).toMatchObject({ sitesRemoved: 1, siteMutations: SITE_SCOPED_TABLES.length });
    expect(await ctx.siteRowCounts(doomed.id)).toEqual(
      Object.fromEntries(SITE_SCOPED_TABLES.map((t) => [t.name, 0])),
    );
    // (Aggregating tables may merge rows, so the sibling's are counted as "still there".)
    expect(Object.entries(await ctx.siteRowCounts(sibling.id)).filter(([, c]) => c === 0)).toEqual([]);
    expect(await siteRow(doomed.id)).toBeUndefined();
    expect(await ctx.countEvents(sibling.id)).toBe(2);
    expect([await vitalsOf(doomed.id), await vitalsOf(sibling.id)]).toEqual([0, 1]);
    expect(await ctx.countEvents(stranger.id)).toBe(2);
    expect(await ctx.countEvents(justDeleted.id)).toBe(1);
    expect((await siteRow(justDeleted.id))?.deleted_at).toBeInstanceOf(Date);
    // Nothing was left running on the shared table.
    const pending = await ctx.clickhouse.query({
      query: sql`SELECT count() AS c FROM system.mutations WHERE database = currentDatabase() AND is_done = 0`
        .text,
      format: 'JSONEachRow',
    });
    expect(Number((await pending.json<{ c: string }>())[0]?.c)).toBe(0);

    // A rerun has nothing left to do.
    expect(await job.run(context())).toMatchObject({ sitesRemoved: 0, siteMutations: 0 });
  });

  it('drops monthly partitions older than the retention period, and keeps younger ones', async () => {
    const site = await ctx.newSite();
    const old = new Date(Date.now() - 800 * 24 * 3600_000); // past the 730-day retention
    const young = new Date(Date.now() - 600 * 24 * 3600_000);
    await insertRows(ctx.clickhouse, [
      eventRow(site.id, old),
      eventRow(site.id, old),
      eventRow(site.id, young),
    ]);
    const result = await job.run(context());
    expect(Number(result.partitionsDropped)).toBeGreaterThanOrEqual(1);
    expect(result.retentionMutations).toBe(0); // every org has the same retention: no row deletes
    expect(await ctx.countEvents(site.id)).toBe(1);
  });
});
