import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { IMPORTED_TABLES, sql, tableIdentifier } from '@sightline/clickhouse';
import { QueryEngine, authorizeSite, type QueryRequest } from '@sightline/query';
import { eventRow, insertRows, TestContext } from '@sightline/testing';
import { ImportSiteDataJob } from '../src/imports/import-site-data.job';
import { readZipEntries } from '../src/imports/upload-reader';
import { createWorkersApp, type WorkersApp } from '../src/workers-app';
import { PLAUSIBLE_FILES, UMAMI_CSV, zipOf } from './import-fixtures';
import { testWorkersConfig } from './workers-harness';

describe('import-site-data', () => {
  const ctx = new TestContext();
  let workers: WorkersApp;
  let job: ImportSiteDataJob;
  let engine: QueryEngine;
  const context = () => ({ signal: new AbortController().signal, logger: workers.logger, attempt: 1 });

  beforeAll(async () => {
    workers = await createWorkersApp(testWorkersConfig(), 'cli');
    job = workers.app.get(ImportSiteDataJob);
    engine = new QueryEngine(ctx.clickhouse, { sampleAboveRows: null });
  });
  afterAll(async () => {
    await workers.close();
    await ctx.close();
  });

  async function upload(siteId: number, source: 'plausible' | 'umami', fileName: string, file: Buffer) {
    const r = await ctx.pool.query<{ id: number }>(
      `INSERT INTO site_imports (site_id, source, status, file_name, file_bytes, file)
       VALUES ($1, $2, 'queued', $3, $4, $5) RETURNING id`,
      [siteId, source, fileName, file.length, file],
    );
    return r.rows[0]!.id;
  }
  async function importRow(id: number) {
    return (
      await ctx.pool.query<{
        status: string;
        progress: number;
        error: string | null;
        rows_imported: number;
        start_date: string | null;
        end_date: string | null;
        has_file: boolean;
      }>(
        `SELECT status, progress, error, rows_imported, to_char(start_date, 'YYYY-MM-DD') AS start_date,
                to_char(end_date, 'YYYY-MM-DD') AS end_date, file IS NOT NULL AS has_file
           FROM site_imports WHERE id = $1`,
        [id],
      )
    ).rows[0];
  }
  async function storedRows(siteId: number, importId: number): Promise<number> {
    let n = 0;
    for (const table of IMPORTED_TABLES) {
      const rs = await ctx.clickhouse.query({
        query:
          sql`SELECT count() AS c FROM ${tableIdentifier(table)} WHERE site_id = ${siteId} AND import_id = ${importId}`
            .text,
        format: 'JSONEachRow',
      });
      n += Number((await rs.json<{ c: string }>())[0]?.c ?? 0);
    }
    return n;
  }
  const authorized = (site: { id: number; domain: string; timezone: string }) => authorizeSite(site);
  const query = (
    site: { id: number; domain: string; timezone: string },
    imports: number[],
    request: Partial<QueryRequest>,
  ) =>
    engine.run(
      authorized(site),
      { site_id: site.domain, date_range: ['2024-01-01', '2024-01-03'], ...request } as QueryRequest,
      { imports: imports.map((id) => ({ id })), now: new Date('2024-03-01T00:00:00Z') },
    );

  it('imports a Plausible export zip and adds it to queries only for days before native data', async () => {
    const site = await ctx.newSite();
    // Native data starts on 2024-01-03: the imported figures of that day must not count.
    // The visitor leaves / after 30 s, scrolled 60 %: an engagement ping (not an event).
    await insertRows(ctx.clickhouse, [
      eventRow(site.id, '2024-01-03T12:00:00Z'),
      eventRow(site.id, '2024-01-03T12:00:30Z', {
        name: 'engagement',
        scroll_depth: 60,
        engagement_time: 30_000,
      }),
    ]);
    const id = await upload(site.id, 'plausible', 'plausible-export.zip', zipOf(PLAUSIBLE_FILES));

    expect(await job.run(context())).toMatchObject({ imported: 1, failed: 0 });
    expect(await importRow(id)).toMatchObject({
      status: 'completed',
      progress: 100,
      error: null,
      rows_imported: 3 + 5 + 3 + 3 + 2,
      start_date: '2024-01-01',
      end_date: '2024-01-03',
      has_file: false,
    });

    const metrics = ['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration'] as const;
    const native = await query(site, [id], { metrics: [...metrics] });
    expect(native.results[0]?.metrics).toEqual([1, 1, 1, 100, 0]);
    expect(native.meta.imports_included).toBeUndefined();

    const merged = await query(site, [id], { metrics: [...metrics], include: { imports: true } });
    // visitors 10+20+1, visits 12+25+1, pageviews 30+50+1, bounces 4+10+1 of 38, duration 1600 s / 38.
    expect(merged.results[0]?.metrics).toEqual([31, 38, 81, 39, 42]);
    expect(merged.meta.imports_included).toBe(true);
    // Views per visit from the summed pageviews and visits: 81 / 38.
    const perVisit = await query(site, [id], { metrics: ['views_per_visit'], include: { imports: true } });
    expect(perVisit.results[0]?.metrics).toEqual([2.13]);
    expect(merged.query.include.imports).toBe(true);

    const series = await query(site, [id], {
      metrics: ['visitors', 'pageviews'],
      dimensions: ['time:day'],
      include: { imports: true },
    });
    expect(series.results.map((r) => [r.dimensions[0], ...r.metrics])).toEqual([
      ['2024-01-01', 10, 30],
      ['2024-01-02', 20, 50],
      ['2024-01-03', 1, 1],
    ]);

    const sources = await query(site, [id], {
      metrics: ['visitors', 'visits'],
      dimensions: ['visit:source'],
      include: { imports: true },
    });
    // A formula-looking value is data: stored and returned as it was exported.
    expect(sources.results.map((r) => [r.dimensions[0], ...r.metrics])).toEqual([
      ['Google', 18, 22],
      ['=HYPERLINK("http://evil.example")', 8, 10],
      ['Direct / None', 5, 6],
    ]);

    const pages = await query(site, [id], {
      metrics: ['visitors', 'pageviews'],
      dimensions: ['event:page'],
      include: { imports: true },
    });
    expect(pages.results.map((r) => [r.dimensions[0], ...r.metrics])).toEqual([
      ['/', 28, 71],
      ['/blog', 3, 10],
    ]);
    // Exports carry no engagement: the Top pages request keeps its imported rows, with scroll depth
    // and time on page from native data only (null where a page has imported figures alone).
    const engaged = await query(site, [id], {
      metrics: ['visitors', 'pageviews', 'scroll_depth', 'time_on_page'],
      dimensions: ['event:page'],
      include: { imports: true },
    });
    expect(engaged.meta.imports_included).toBe(true);
    expect(engaged.results.map((r) => [r.dimensions[0], ...r.metrics])).toEqual([
      ['/', 28, 71, 60, 30],
      ['/blog', 3, 10, null, null],
    ]);

    const countries = await query(site, [id], {
      metrics: ['visitors'],
      dimensions: ['visit:country'],
      include: { imports: true, total_rows: true },
      pagination: { limit: 1, offset: 0 },
    });
    expect(countries.results.map((r) => [r.dimensions[0], ...r.metrics])).toEqual([['DE', 28]]);
    expect(countries.meta.total_rows).toBe(2);

    const devices = await query(site, [id], {
      metrics: ['visitors', 'bounce_rate'],
      dimensions: ['visit:device'],
      include: { imports: true },
    });
    expect(devices.results.map((r) => [r.dimensions[0], ...r.metrics])).toEqual([
      ['Mobile', 20, 40],
      ['Desktop', 11, 38],
    ]);

    // Comparison: the previous period (3 days before) has nothing; the current one has the merged totals.
    const compared = await query(site, [id], {
      metrics: ['visitors'],
      include: { imports: true, comparisons: { mode: 'previous_period' } },
    });
    expect(compared.results[0]).toMatchObject({ metrics: [31], comparison: { metrics: [0], change: [100] } });

    // What the imported tables cannot answer comes back native-only, with the reason.
    const filtered = await query(site, [id], {
      metrics: ['visitors'],
      filters: [['is', 'visit:country', ['DE']]],
      include: { imports: true },
    });
    expect(filtered.results[0]?.metrics).toEqual([1]);
    expect(filtered.meta).toMatchObject({
      imports_included: false,
      imports_skip_reason: 'unsupported_query',
    });
    // A range after native data started has nothing imported to add.
    const later = await engine.run(
      authorized(site),
      {
        site_id: site.domain,
        metrics: ['visitors'],
        date_range: ['2024-01-03', '2024-01-04'],
        include: { imports: true },
      },
      { imports: [{ id }], now: new Date('2024-03-01T00:00:00Z') },
    );
    expect(later.meta).toMatchObject({ imports_included: false, imports_skip_reason: 'out_of_range' });
    // "All time" starts at the first imported day.
    const allTime = await engine.run(
      authorized(site),
      { site_id: site.domain, metrics: ['visitors'], date_range: 'all', include: { imports: true } },
      { imports: [{ id, startDate: '2024-01-01' }], now: new Date('2024-01-03T18:00:00Z') },
    );
    expect(allTime.results[0]?.metrics).toEqual([31]);
    expect(allTime.query.date_range[0]).toBe('2024-01-01T00:00:00+00:00');
    // An import the api did not pass (not completed, another site's) is never read.
    const none = await query(site, [], { metrics: ['visitors'], include: { imports: true } });
    expect(none.results[0]?.metrics).toEqual([1]);
    expect(none.meta.imports_skip_reason).toBe('no_imported_data');

    // Deleting: the api marks it, the job removes the rows and the record.
    await ctx.pool.query("UPDATE site_imports SET status = 'deleting', finished_at = now() WHERE id = $1", [
      id,
    ]);
    expect(await job.run(context())).toMatchObject({ deleted: 1 });
    expect(await storedRows(site.id, id)).toBe(0);
    expect(await importRow(id)).toBeUndefined();
    expect(await ctx.countEvents(site.id)).toBe(2); // native rows untouched: the pageview and its ping
  });

  it('aggregates an Umami data export into the same daily tables (site timezone days)', async () => {
    const site = await ctx.newSite();
    const id = await upload(site.id, 'umami', 'website_event.csv', Buffer.from(UMAMI_CSV));
    expect(await job.run(context())).toMatchObject({ imported: 1 });
    expect(await importRow(id)).toMatchObject({
      status: 'completed',
      start_date: '2024-02-01',
      end_date: '2024-02-02',
    });

    const run = (request: Partial<QueryRequest>) =>
      engine.run(
        authorized(site),
        {
          site_id: site.domain,
          date_range: ['2024-02-01', '2024-02-02'],
          include: { imports: true },
          ...request,
        } as QueryRequest,
        { imports: [{ id }], now: new Date('2024-03-01T00:00:00Z') },
      );
    const rows = async (request: Partial<QueryRequest>) =>
      (await run(request)).results.map((r) => [...r.dimensions, ...r.metrics]);

    // Day 1: s1 (visit 1, 120 s) and s2 (a bounce); day 2: s1 again (30 s). Visitors add up per day.
    expect(
      await rows({ metrics: ['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration'] }),
    ).toEqual([[3, 3, 5, 33, 50]]);
    expect(await rows({ metrics: ['visitors', 'pageviews'], dimensions: ['time:day'] })).toEqual([
      ['2024-02-01', 2, 3],
      ['2024-02-02', 1, 2],
    ]);
    expect(await rows({ metrics: ['visitors'], dimensions: ['visit:source'] })).toEqual([
      ['Direct / None', 1],
      ['Google', 1],
      ['Hacker News', 1],
    ]);
    expect(await rows({ metrics: ['visitors', 'pageviews'], dimensions: ['event:page'] })).toEqual([
      ['/', 2, 2],
      ['/blog', 2, 2],
      ['/pricing', 1, 1],
    ]);
    expect(await rows({ metrics: ['visits'], dimensions: ['visit:entry_page'] })).toEqual([
      ['/', 2],
      ['/blog', 1],
    ]);
    expect(await rows({ metrics: ['visits'], dimensions: ['visit:exit_page'] })).toEqual([
      ['/blog', 2],
      ['/pricing', 1],
    ]);
    expect(await rows({ metrics: ['visitors'], dimensions: ['visit:browser'] })).toEqual([
      ['Chrome', 2],
      ['Safari', 1],
    ]);
    expect(await rows({ metrics: ['visitors'], dimensions: ['visit:os'] })).toEqual([
      ['Mac', 2],
      ['iOS', 1],
    ]);
    expect(await rows({ metrics: ['visitors'], dimensions: ['visit:device'] })).toEqual([
      ['Desktop', 2],
      ['Mobile', 1],
    ]);
    expect(await rows({ metrics: ['visitors'], dimensions: ['visit:country'] })).toEqual([
      ['DE', 2],
      ['US', 1],
    ]);
  });

  describe('hostile and broken uploads: a clear reason and nothing stored', () => {
    const cases: [string, 'plausible' | 'umami', string, () => Buffer, RegExp][] = [
      [
        'broken encoding',
        'umami',
        'export.csv',
        () =>
          Buffer.concat([
            Buffer.from(UMAMI_CSV.split('\n').slice(0, 2).join('\n')),
            Buffer.from([0xff, 0xfe, 0x0a]),
          ]),
        /not valid UTF-8/,
      ],
      [
        'wrong columns',
        'plausible',
        'x.zip',
        () => zipOf({ 'imported_visitors_20240101_20240101.csv': 'day,people\n2024-01-01,3' }),
        /missing columns date, visitors, pageviews, bounces, visits, visit_duration/,
      ],
      [
        'a bad date in the last file, after earlier files were stored',
        'plausible',
        'x.zip',
        () =>
          zipOf({
            ...PLAUSIBLE_FILES,
            'imported_operating_systems_20240101_20240103.csv':
              'date,operating_system,operating_system_version,visitors,visits,visit_duration,bounces,pageviews\n2024-01-01,Mac,,1,1,1,0,1\n2024-02-30,Mac,,1,1,1,0,1',
          }),
        /line 3 \(date\): "2024-02-30" is not a date/,
      ],
      [
        'a negative count',
        'plausible',
        'x.zip',
        () =>
          zipOf({
            'imported_visitors_20240101_20240101.csv':
              'date,visitors,pageviews,bounces,visits,visit_duration\n2024-01-01,-3,1,1,1,1',
          }),
        /visitors "-3" is not a whole number/,
      ],
      [
        'a date in the future',
        'umami',
        'export.csv',
        () => Buffer.from(UMAMI_CSV.replaceAll('2024-02-02 09:00:30', '2999-01-01 00:00:00')),
        /2999-01-01 is outside/,
      ],
      [
        'a zip without the totals file',
        'plausible',
        'x.zip',
        () =>
          zipOf({ 'imported_pages_20240101_20240101.csv': 'date,page,visitors,pageviews\n2024-01-01,/,1,1' }),
        /no imported_visitors/,
      ],
      ['not a CSV at all', 'umami', 'export.csv', () => Buffer.from('just some words\n'), /missing columns/],
      [
        'an unterminated quote',
        'umami',
        'export.csv',
        () => Buffer.from(`${UMAMI_CSV}\n"s9,`),
        /not a valid CSV/,
      ],
    ];
    it.each(cases)('%s', async (_label, source, fileName, build, reason) => {
      const site = await ctx.newSite();
      const id = await upload(site.id, source, fileName, build());
      expect(await job.run(context())).toMatchObject({ failed: 1 });
      const row = await importRow(id);
      expect(row).toMatchObject({ status: 'failed', rows_imported: 0, has_file: false });
      expect(row?.error).toMatch(reason);
      expect(await storedRows(site.id, id)).toBe(0);
    });
  });

  it('stops a zip bomb at the uncompressed limit, whatever the headers say', () => {
    const bomb = Buffer.from(
      zipSync({ 'imported_visitors_20240101_20240101.csv': new Uint8Array(20 * 1024 * 1024) }, { level: 9 }),
    );
    expect(bomb.length).toBeLessThan(100 * 1024);
    expect(() => readZipEntries(bomb, () => true, 5 * 1024 * 1024)).toThrow(/unpacks to more than 5 MB/);
    expect(readZipEntries(bomb, () => true, 25 * 1024 * 1024)[0]?.data.length).toBe(20 * 1024 * 1024);
  });

  it('starts an import again whose worker died, without its leftover rows', async () => {
    const site = await ctx.newSite();
    const id = await upload(site.id, 'plausible', 'x.zip', zipOf(PLAUSIBLE_FILES));
    // A worker took it an hour ago, wrote a row, and died.
    await ctx.pool.query(
      "UPDATE site_imports SET status = 'running', updated_at = now() - interval '1 hour' WHERE id = $1",
      [id],
    );
    await ctx.clickhouse.command({
      query:
        sql`INSERT INTO imported_visitors (site_id, import_id, date, visitors) VALUES (${site.id}, ${id}, toDate('2024-01-01'), 999)`
          .text,
    });
    expect(await job.run(context())).toMatchObject({ imported: 1 });
    const rs = await ctx.clickhouse.query({
      query:
        sql`SELECT sum(visitors) AS v FROM imported_visitors WHERE site_id = ${site.id} AND import_id = ${id}`
          .text,
      format: 'JSONEachRow',
    });
    expect(Number((await rs.json<{ v: string }>())[0]?.v)).toBe(35);
  });
});
