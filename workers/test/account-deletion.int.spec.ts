import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRow, insertRows, TestContext } from '@sightline/testing';
import { AccountDeletionJob } from '../src/account-deletion/account-deletion.job';
import { RetentionSweepJob } from '../src/retention/retention-sweep.job';
import { createWorkersApp, type WorkersApp } from '../src/workers-app';
import { testWorkersConfig } from './workers-harness';

/**
 * Account deletion after the 72-hour window: the job removes the user's rows and empties their
 * sole-owned orgs (sites soft-deleted), the retention sweep removes those sites' ClickHouse rows and
 * site rows, and the next run removes the orgs. Afterwards no Postgres table and no ClickHouse
 * site-scoped table holds anything of the user.
 */
describe('account-deletion job', () => {
  const ctx = new TestContext();
  let workers: WorkersApp;
  let job: AccountDeletionJob;
  let sweep: RetentionSweepJob;

  beforeAll(async () => {
    workers = await createWorkersApp(
      testWorkersConfig({ RETENTION_DAYS_DEFAULT: '730', RETENTION_DELETED_SITE_GRACE_SECONDS: '10800' }),
      'cli',
    );
    job = workers.app.get(AccountDeletionJob);
    sweep = workers.app.get(RetentionSweepJob);
  });
  afterAll(async () => {
    await workers.close();
    await ctx.close();
  });

  const context = () => ({ signal: new AbortController().signal, logger: workers.logger, attempt: 1 });
  const tag = () => randomBytes(4).toString('hex');

  async function newUser(
    label: string,
    deletedHoursAgo: number | null,
  ): Promise<{ id: string; email: string }> {
    const email = `${label}-${tag()}@example.test`;
    const rows = await ctx.pool.query<{ id: string }>(
      `INSERT INTO users (email, name, password_hash, deleted_at)
       VALUES ($1, $2, 'x', CASE WHEN $3::int IS NULL THEN NULL ELSE now() - make_interval(hours => $3::int) END)
       RETURNING id`,
      [email, `${label} person`, deletedHoursAgo],
    );
    return { id: rows.rows[0]?.id ?? '', email };
  }

  async function member(orgId: string, userId: string, role: string): Promise<void> {
    await ctx.pool.query('INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, $3)', [
      orgId,
      userId,
      role,
    ]);
  }

  /** Every row of every Postgres table whose text contains one of `needles`. */
  async function postgresRowsMentioning(needles: string[]): Promise<string[]> {
    const tables = await ctx.pool.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    const found: string[] = [];
    for (const { table_name: table } of tables.rows) {
      for (const needle of needles) {
        const rows = await ctx.pool.query(
          `SELECT t::text AS row FROM "${table}" t WHERE t::text ILIKE '%' || $1 || '%'`,
          [needle],
        );
        for (const r of rows.rows as Array<{ row: string }>) found.push(`${table}: ${r.row}`);
      }
    }
    return found;
  }

  it('leaves nothing of the user in Postgres or ClickHouse after the window; shared orgs and others stay', async () => {
    const doomed = await newUser('doomed', 73);
    const partner = await newUser('partner', null);
    const viewer = await newUser('viewer', null);
    const inWindow = await newUser('in-window', 71);

    const ownOrg = await ctx.newOrg(`doomed org ${tag()}`);
    await member(ownOrg, doomed.id, 'owner');
    await member(ownOrg, viewer.id, 'viewer');
    const ownSite = await ctx.newSite({ orgId: ownOrg, domain: `doomed-${tag()}.example.com` });
    const sharedOrg = await ctx.newOrg(`shared org ${tag()}`);
    await member(sharedOrg, doomed.id, 'owner');
    await member(sharedOrg, partner.id, 'owner');
    const sharedSite = await ctx.newSite({ orgId: sharedOrg });
    await ctx.pool.query(
      `INSERT INTO api_keys (org_id, name, prefix, key_hash, created_by) VALUES ($1, 'doomed key', 'sl_x', $2, $3)`,
      [sharedOrg, `hash-${tag()}`, doomed.id],
    );
    await ctx.pool.query(
      `INSERT INTO invitations (org_id, email, role, token_hash, invited_by, expires_at)
       VALUES ($1, $2, 'viewer', $3, $4, now() + interval '1 day'), ($5, $6, 'viewer', $7, $8, now() + interval '1 day')`,
      [
        sharedOrg,
        `invitee-${tag()}@example.test`,
        `t-${tag()}`,
        doomed.id,
        sharedOrg,
        doomed.email,
        `t-${tag()}`,
        partner.id,
      ],
    );
    await ctx.pool.query(
      "INSERT INTO user_sessions (user_id, token_hash, last_seen_at, expires_at) VALUES ($1, $2, now(), now() + interval '1 day')",
      [doomed.id, `s-${tag()}`],
    );
    const recent = new Date(Date.now() - 2 * 24 * 3600_000);
    await insertRows(ctx.clickhouse, [
      ...[1, 2, 3].map((v) => eventRow(ownSite.id, recent, { visitor_id: BigInt(v) })),
      ...[1, 2].map((v) => eventRow(sharedSite.id, recent, { visitor_id: BigInt(v) })),
    ]);

    // Other test files share the database (and may leave due accounts): count at least this one.
    const first = await job.run(context());
    expect(Number(first.accountsDeleted)).toBeGreaterThanOrEqual(1);
    expect(Number(first.sitesDeleted)).toBeGreaterThanOrEqual(1);
    expect((await ctx.pool.query('SELECT deleted_at FROM sites WHERE id = $1', [ownSite.id])).rows).toEqual([
      { deleted_at: expect.any(Date) },
    ]);
    expect(
      (await ctx.pool.query('SELECT deleted_at FROM sites WHERE id = $1', [sharedSite.id])).rows,
    ).toEqual([{ deleted_at: null }]);
    // The user is gone at once; the emptied org waits for the sweep to remove its site's data.
    expect((await ctx.pool.query('SELECT 1 FROM users WHERE id = $1', [doomed.id])).rowCount).toBe(0);
    expect((await ctx.pool.query('SELECT name FROM orgs WHERE id = $1', [ownOrg])).rows).toEqual([
      { name: 'Deleted organization' },
    ]);
    expect((await ctx.pool.query('SELECT 1 FROM users WHERE id = $1', [inWindow.id])).rowCount).toBe(1);

    // The sweep takes sites deleted longer ago than its grace period (3 h here, so it leaves the
    // sites other test files just deleted alone): age this one past it.
    await ctx.pool.query("UPDATE sites SET deleted_at = now() - interval '4 hours' WHERE id = $1", [
      ownSite.id,
    ]);
    await sweep.run(context());
    expect(Number((await job.run(context())).orgsRemoved)).toBeGreaterThanOrEqual(1);

    expect(await postgresRowsMentioning([doomed.id, doomed.email, ownOrg, ownSite.domain])).toEqual([]);
    expect(Object.values(await ctx.siteRowCounts(ownSite.id)).every((c) => c === 0)).toBe(true);
    expect(await ctx.countEvents(sharedSite.id)).toBe(2);
    const shared = await ctx.pool.query('SELECT user_id FROM memberships WHERE org_id = $1', [sharedOrg]);
    expect(shared.rows).toEqual([{ user_id: partner.id }]);
    expect((await ctx.pool.query('SELECT 1 FROM users WHERE id = $1', [viewer.id])).rowCount).toBe(1);
    // A rerun is harmless: the in-window account and the others stay.
    await job.run(context());
    expect(
      (
        await ctx.pool.query('SELECT 1 FROM users WHERE id = ANY($1::uuid[])', [
          [inWindow.id, partner.id, viewer.id],
        ])
      ).rowCount,
    ).toBe(3);
  });
});
