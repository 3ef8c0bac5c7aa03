import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLICKHOUSE_MIGRATIONS_DIR,
  createClickHouseClient,
  migrateClickHouse,
  type ClickHouseClient,
} from '@sightline/clickhouse';
import { TestContext } from '@sightline/testing';
import { authorizeSite, parseQuery, QueryEngine } from '../src';
import { chooseTable } from '../src/table-decider';
import { insertEvents, type FixtureEvent } from './event-fixtures';

/**
 * Migration 006 (the sessions table) on a database that already holds events: the back-fill must
 * give the sessions table exactly what the materialized view would have written, and rows inserted
 * afterwards (through the view) must merge with the back-filled ones.
 */
describe('sessions table back-fill (migration 006)', () => {
  const migration = 6;
  const file = '006_create_sessions.sql';
  const ctx = new TestContext();
  const database = `sessions_backfill_${randomBytes(4).toString('hex')}`;
  const before = mkdtempSync(join(tmpdir(), 'ch-migrations-'));
  let admin: ClickHouseClient;
  let client: ClickHouseClient;

  beforeAll(() => {
    const config = ctx.baseConfig;
    const options = {
      url: config.CLICKHOUSE_URL,
      username: config.CLICKHOUSE_USER,
      password: config.CLICKHOUSE_PASSWORD,
    };
    admin = createClickHouseClient({ ...options, database: config.CLICKHOUSE_DATABASE });
    client = createClickHouseClient({ ...options, database });
    for (const name of readdirSync(CLICKHOUSE_MIGRATIONS_DIR))
      if (name.endsWith('.sql') && Number(name.slice(0, 3)) < migration)
        copyFileSync(join(CLICKHOUSE_MIGRATIONS_DIR, name), join(before, name));
  });
  afterAll(async () => {
    await admin.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await Promise.all([admin.close(), client.close(), ctx.close()]);
    rmSync(before, { recursive: true, force: true });
  });

  it('fills the sessions table from existing events, and later inserts merge with it', async () => {
    expect(await migrateClickHouse(admin, client, database, before)).not.toContain(file);
    const site = authorizeSite({ id: 4242, domain: 'backfill.test', timezone: 'Europe/Berlin' });
    const events: FixtureEvent[] = [];
    for (let i = 0; i < 120; i++) {
      const session = i % 23;
      events.push({
        at: `2026-01-${String(1 + (i % 9)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}:00Z`,
        visitor: 1 + (session % 11),
        session: 1 + session,
        name: i % 6 === 0 ? 'Signup' : 'pageview',
        page: ['/', '/pricing', '/docs'][i % 3],
        referrerSource: session % 3 === 0 ? 'Google' : '',
        device: session % 2 ? 'Mobile' : 'Desktop',
      });
    }
    await insertEvents(client, site.id, events.slice(0, 80));
    expect(await migrateClickHouse(admin, client, database)).toContain(file);
    await insertEvents(client, site.id, events.slice(80));

    const engine = new QueryEngine(client);
    const raw = new QueryEngine(client, { rollups: false, sampleAboveRows: null });
    const now = new Date('2026-01-20T12:00:00Z');
    const range = { site_id: site.domain, date_range: ['2026-01-01', '2026-01-10'] };
    const requests = [
      { ...range, metrics: ['visitors', 'visits', 'pageviews', 'events', 'bounce_rate', 'visit_duration'] },
      { ...range, metrics: ['visitors', 'views_per_visit'], dimensions: ['visit:source'] },
      {
        ...range,
        metrics: ['visits'],
        dimensions: ['visit:entry_page'],
        filters: [['is', 'visit:device', ['Mobile']]],
      },
      { ...range, metrics: ['visitors', 'bounce_rate'], dimensions: ['time:day'] },
      { ...range, metrics: ['visitors', 'visits'], dimensions: ['time:day'] },
    ];
    for (const request of requests) {
      const q = parseQuery(site, request, { now });
      expect(chooseTable(q, q.range, { rollups: true })).toBe('sessions');
      const [picked, expected] = await Promise.all([
        engine.run(site, request, { now }),
        raw.run(site, request, { now }),
      ]);
      expect(picked).toEqual(expected);
      expect(picked.results.length).toBeGreaterThan(0);
    }
  });
});
