import { request as httpRequest } from 'node:http';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import type { SiteImportView, SiteView } from '@sightline/api-contract';
import { sql } from '@sightline/clickhouse';
import type { QueryResponse } from '@sightline/query';
import { APP_ORIGIN, ApiHarness, type ApiClient, type ApiResponse } from './api-harness';

const VISITORS_CSV = 'date,visitors,pageviews,bounces,visits,visit_duration\n2024-01-01,10,30,4,12,600\n';
const plausibleZip = (
  files: Record<string, string> = { 'imported_visitors_20240101_20240101.csv': VISITORS_CSV },
) => Buffer.from(zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)]))));
const UMAMI_HEADER =
  'website_id,session_id,visit_id,url_path,referrer_domain,browser,os,device,country,event_type,created_at';

describe('site imports api', () => {
  const api = new ApiHarness();
  const { ctx } = api;
  let owner: { client: ApiClient; orgId: string };
  let site: SiteView;

  beforeAll(async () => {
    await api.start();
    owner = await api.signedUpUser('imports');
    const domain = `imports-${randomBytes(3).toString('hex')}.example`;
    site = (await owner.client.post<SiteView>(`/api/orgs/${owner.orgId}/sites`, { domain })).body;
  });
  afterAll(() => api.stop());

  /** The file as the raw body, as the dashboard sends it. */
  async function upload(
    client: ApiClient,
    body: Buffer,
    query: string,
    domain = site.domain,
  ): Promise<ApiResponse<SiteImportView & { error?: { code: string; message: string } }>> {
    const res = await fetch(`${api.baseUrl}/api/sites/${domain}/imports?${query}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        origin: APP_ORIGIN,
        ...(client.cookie ? { cookie: client.cookie } : {}),
      },
      body: new Uint8Array(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  }

  it('takes an upload for the worker, lists it with its progress, refuses a second at once, deletes it', async () => {
    const created = await upload(owner.client, plausibleZip(), 'source=plausible&filename=export.zip');
    expect(created).toMatchObject({
      status: 202,
      body: { source: 'plausible', status: 'queued', fileName: 'export.zip', progress: 0, error: null },
    });
    const list = await owner.client.get<SiteImportView[]>(`/api/sites/${site.domain}/imports`);
    expect(list.body).toEqual([expect.objectContaining({ id: created.body.id, status: 'queued' })]);
    expect(list.body[0]?.createdBy).toMatch(/^imports-/);
    const stored = await ctx.pool.query<{ n: number }>(
      'SELECT length(file) AS n FROM site_imports WHERE id = $1',
      [created.body.id],
    );
    expect(stored.rows[0]?.n).toBe(plausibleZip().length);

    const again = await upload(owner.client, plausibleZip(), 'source=plausible&filename=export.zip');
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'import_in_progress' } } });

    expect((await owner.client.delete(`/api/sites/${site.domain}/imports/${created.body.id}`)).status).toBe(
      204,
    );
    expect((await owner.client.get<SiteImportView[]>(`/api/sites/${site.domain}/imports`)).body).toEqual([]);
    // The worker removes its rows and the record; the upload is gone at once.
    const row = await ctx.pool.query('SELECT status, file FROM site_imports WHERE id = $1', [
      created.body.id,
    ]);
    expect(row.rows[0]).toMatchObject({ status: 'deleting', file: null });
    expect((await owner.client.delete(`/api/sites/${site.domain}/imports/${created.body.id}`)).status).toBe(
      404,
    );
    expect((await owner.client.delete(`/api/sites/${site.domain}/imports/abc`)).status).toBe(404);
  });

  it('answers a 100 MB upload with 413 before reading it', async () => {
    const url = new URL(`${api.baseUrl}/api/sites/${site.domain}/imports?source=plausible&filename=big.zip`);
    const declared = 100 * 1024 * 1024;
    const { status, sent } = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      let sent = 0;
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method: 'POST',
          headers: {
            'content-type': 'application/zip',
            'content-length': String(declared),
            origin: APP_ORIGIN,
            cookie: owner.client.cookie ?? '',
          },
        },
        (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, sent });
          req.destroy();
        },
      );
      req.on('error', (err) => (sent > 0 ? undefined : reject(err)));
      // Only the first megabyte is ever written; the answer must come without the rest.
      const chunk = Buffer.alloc(64 * 1024);
      const write = () => {
        if (sent >= 1024 * 1024 || req.destroyed) return;
        sent += chunk.length;
        req.write(chunk, write);
      };
      write();
    });
    expect(status).toBe(413);
    expect(sent).toBeLessThan(declared);
    expect(
      (
        await ctx.pool.query('SELECT 1 FROM site_imports WHERE site_id = $1 AND status = $2', [
          site.id,
          'queued',
        ])
      ).rowCount,
    ).toBe(0);
  });

  it('refuses the wrong file with a clear 400 and stores nothing', async () => {
    const cases: [string, Buffer, string, RegExp][] = [
      ['source=matomo&filename=x.zip', plausibleZip(), 'source', /plausible, umami/],
      ['source=plausible&filename=../../etc/passwd', plausibleZip(), 'filename', /file name/],
      ['source=plausible&filename=x.zip', Buffer.alloc(0), 'body', /empty/],
      ['source=plausible&filename=x.zip', Buffer.from('PK\x03\x04garbage'), 'body', /corrupt/],
      [
        'source=plausible&filename=x.zip',
        plausibleZip({ 'pages.csv': 'date,page\n' }),
        'body',
        /not a Plausible CSV export/,
      ],
      ['source=umami&filename=x.csv', Buffer.from('a,b\n1,2\n'), 'body', /not Umami/],
      ['source=umami&filename=x.csv', Buffer.from([0x61, 0x2c, 0xff, 0xfe, 0x0a]), 'body', /not UTF-8/],
      ['source=umami&filename=x.csv', Buffer.from('%PDF-1.7 binary'), 'body', /neither a zip nor a CSV/],
      ['source=plausible&filename=visitors.csv', Buffer.from(VISITORS_CSV), 'filename', /export name/],
    ];
    for (const [query, body, field, message] of cases) {
      const res = await upload(owner.client, body, query);
      expect(res.status, query).toBe(400);
      expect(res.body.error?.message, query).toMatch(message);
      expect((res.body.error as { field?: string }).field, query).toBe(field);
    }
    expect(
      (
        await ctx.pool.query("SELECT 1 FROM site_imports WHERE site_id = $1 AND status != 'deleting'", [
          site.id,
        ])
      ).rowCount,
    ).toBe(0);
    // A single Umami CSV and a single Plausible file with its export name are accepted.
    const umami = await upload(
      owner.client,
      Buffer.from(`\uFEFF${UMAMI_HEADER}\n`),
      'source=umami&filename=website_event.csv',
    );
    expect(umami.status).toBe(202);
    await owner.client.delete(`/api/sites/${site.domain}/imports/${umami.body.id}`);
  });

  it('is for owners and admins of the site only', async () => {
    expect((await upload(api.client(), plausibleZip(), 'source=plausible&filename=x.zip')).status).toBe(401);
    expect((await api.client().get(`/api/sites/${site.domain}/imports`)).status).toBe(401);
    const stranger = await api.signedUpUser('imports-stranger');
    expect((await upload(stranger.client, plausibleZip(), 'source=plausible&filename=x.zip')).status).toBe(
      404,
    );
    expect((await stranger.client.get(`/api/sites/${site.domain}/imports`)).status).toBe(404);

    const { client: viewer } = await api.joinedMember(owner.client, owner.orgId, 'viewer', 'imports-viewer');
    expect((await upload(viewer, plausibleZip(), 'source=plausible&filename=x.zip')).status).toBe(403);
    expect((await viewer.get(`/api/sites/${site.domain}/imports`)).status).toBe(403);
  });

  it('adds completed imports to /api/v2/query with include.imports, and only completed ones', async () => {
    const domain = `imports-q-${randomBytes(3).toString('hex')}.example`;
    const other = (await owner.client.post<SiteView>(`/api/orgs/${owner.orgId}/sites`, { domain })).body;
    const body = {
      site_id: other.domain,
      metrics: ['visitors', 'pageviews'],
      date_range: ['2024-01-01', '2024-01-31'],
      include: { imports: true },
    };
    const before = await owner.client.post<QueryResponse>('/api/v2/query', body);
    expect(before.body.results[0]?.metrics).toEqual([0, 0]);
    expect(before.body.meta).toMatchObject({
      imports_included: false,
      imports_skip_reason: 'no_imported_data',
    });

    const created = await upload(
      owner.client,
      plausibleZip(),
      'source=plausible&filename=x.zip',
      other.domain,
    );
    // As the worker would store it: rows under the import's id; counted once the import is completed.
    await ctx.clickhouse.command({
      query:
        sql`INSERT INTO imported_visitors (site_id, import_id, date, visitors, pageviews, visits) VALUES (${other.id}, ${created.body.id}, toDate('2024-01-05'), 7, 9, 8)`
          .text,
    });
    const running = await owner.client.post<QueryResponse>('/api/v2/query', body);
    expect(running.body.results[0]?.metrics).toEqual([0, 0]);
    await ctx.pool.query("UPDATE site_imports SET status = 'completed' WHERE id = $1", [created.body.id]);
    const done = await owner.client.post<QueryResponse>('/api/v2/query', body);
    expect(done.body.results[0]?.metrics).toEqual([7, 9]);
    expect(done.body.meta.imports_included).toBe(true);
    // Without include.imports the answer is native only, as before.
    const { include: _omit, ...plain } = body;
    const nativeOnly = await owner.client.post<QueryResponse>('/api/v2/query', plain);
    expect(nativeOnly.body.results[0]?.metrics).toEqual([0, 0]);
    expect(nativeOnly.body.meta.imports_included).toBeUndefined();
  });
});
