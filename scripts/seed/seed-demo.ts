// Seeds the demo site `demo.sightline.test` with 60 days of deterministic traffic, written
// through the same enrichment, row serialisation and ClickHouse insert as live events.
// Skipped when the site already has events, so `npm start` can run it every time.
import { hash, argon2id } from 'argon2';
import type { DataSource } from 'typeorm';
import { createDataSource, sharedLinkToken, sharedLinkTokenHash, SiteEntity } from '@sightline/database';
import { createClickHouseClient, EventsRepository, type ClickHouseClient } from '@sightline/clickhouse';
import { loadDemoConfig, loadStoresConfig, signingSecret } from '@sightline/config';
import { serializeEventRow } from '@sightline/events';
import { CountryLookup, EventEnricher, hashVisitor, parsePageUrl } from '@sightline/ingest';
import { generateTraffic } from './traffic-generator';
import { seedDemoImport } from './seed-demo-import';
import { seedDemoVitals } from './seed-demo-vitals';

export const DEMO_DOMAIN = 'demo.sightline.test';
const BATCH = 5000;

/** The same traffic for every seed run within an hour (the generator is deterministic in its end). */
function startOfHour(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 3_600_000) * 3_600_000);
}

/** A fixed id, so every seed run keeps the one public demo link (listed in the site's settings). */
const DEMO_SHARED_LINK_ID = '5e1f5a4e-0000-4000-8000-000000000001';

/** The demo site's read-only shared dashboard link; answers its address. */
async function ensureDemoSharedLink(dataSource: DataSource, siteId: number, userId: string): Promise<string> {
  const demo = loadDemoConfig();
  const token = sharedLinkToken(signingSecret(demo), DEMO_SHARED_LINK_ID);
  await dataSource.query(
    `INSERT INTO shared_links (id, site_id, label, token_hash, created_by) VALUES ($1, $2, 'Public demo', $3, $4)
     ON CONFLICT (id) DO UPDATE SET token_hash = EXCLUDED.token_hash, site_id = EXCLUDED.site_id, revoked_at = NULL`,
    [DEMO_SHARED_LINK_ID, siteId, sharedLinkTokenHash(token), userId],
  );
  return new URL(`/share/${token}`, demo.PUBLIC_APP_URL).toString();
}

/**
 * The demo user (verified, password as configured) owning the org "Acme Inc", which owns the demo
 * site. Idempotent; the password is reset to the configured one on every run.
 */
async function ensureDemoAccount(dataSource: DataSource): Promise<{ orgId: string; userId: string }> {
  const demo = loadDemoConfig();
  const email = demo.DEMO_EMAIL.toLowerCase();
  const passwordHash = await hash(demo.DEMO_PASSWORD, { type: argon2id });
  const [user] = (await dataSource.query(
    `INSERT INTO users (email, name, password_hash, email_verified_at) VALUES ($1, 'Demo', $2, now())
     ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash RETURNING id`,
    [email, passwordHash],
  )) as [{ id: string }];
  const [existing] = (await dataSource.query(
    `SELECT o.id FROM orgs o JOIN memberships m ON m.org_id = o.id
      WHERE m.user_id = $1 AND m.role = 'owner' AND o.name = 'Acme Inc' LIMIT 1`,
    [user.id],
  )) as { id: string }[];
  if (existing) return { orgId: existing.id, userId: user.id };
  // Created with its traffic (60 days ago), so the usage cycle anchored on its sign-up day has numbers.
  const [org] = (await dataSource.query(
    `INSERT INTO orgs (name, created_at) VALUES ('Acme Inc', now() - interval '60 days') RETURNING id`,
  )) as [{ id: string }];
  await dataSource.query(`INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'owner')`, [
    org.id,
    user.id,
  ]);
  return { orgId: org.id, userId: user.id };
}

/**
 * The demo org is on Premium (an active plan without a Stripe subscription, as support would comp
 * it), because the demo shows everything Premium sells: funnels, the shared link, email reports.
 * Idempotent; it also lifts a demo seeded before plan features were enforced.
 */
export const DEMO_PLAN = 'premium' as const;
export async function ensureDemoPlan(
  dataSource: { query(sql: string, params: unknown[]): Promise<unknown> },
  orgId: string,
): Promise<void> {
  await dataSource.query(
    `INSERT INTO billing_profiles (org_id, plan_code, subscription_status) VALUES ($1, $2, 'active')
     ON CONFLICT (org_id) DO UPDATE SET plan_code = EXCLUDED.plan_code, subscription_status = 'active'`,
    [orgId, DEMO_PLAN],
  );
}

/** Funnels the seeded traffic fills (the generator's visitors go / → /pricing → Signup, /docs → /app). */
export const DEMO_FUNNELS = [
  {
    name: 'Signup',
    steps: [
      { kind: 'page', pattern: '/' },
      { kind: 'page', pattern: '/pricing' },
      { kind: 'event', name: 'Signup' },
    ],
  },
  {
    name: 'Docs to app',
    steps: [
      { kind: 'page', pattern: '/docs/**' },
      { kind: 'page', pattern: '/app' },
    ],
  },
] as const;

/** Adds the demo funnels a site lacks (by name), so a demo seeded before funnels existed gets them too. */
export async function seedDemoFunnels(
  dataSource: { query(sql: string, params: unknown[]): Promise<unknown> },
  siteId: number,
): Promise<void> {
  for (const f of DEMO_FUNNELS)
    await dataSource.query(
      `INSERT INTO funnels (site_id, name, steps) VALUES ($1, $2, $3) ON CONFLICT (site_id, name) DO NOTHING`,
      [siteId, f.name, JSON.stringify(f.steps)],
    );
}

/**
 * The demo traffic (pageviews, custom events with props and revenue, engagement pings) through
 * the receiver's enrichment and the flusher's insert; none when the site already has events.
 * Answers the number of events inserted.
 */
export async function seedDemoEvents(
  clickhouse: ClickHouseClient,
  siteId: number,
  { end, days, domain = DEMO_DOMAIN }: { end: Date; days: number; domain?: string },
): Promise<number> {
  const events = new EventsRepository(clickhouse);
  if ((await events.countForSite(siteId)) > 0) return 0;
  const enricher = new EventEnricher(await CountryLookup.open());
  const lines = generateTraffic({
    domain,
    end,
    days,
    seed: 20261122,
  }).map((hit, index) => {
    const body = {
      name: hit.name,
      url: hit.url,
      domain,
      referrer: hit.referrer,
      props: hit.props ?? null,
      revenue: hit.revenue ?? null,
      scroll_depth: hit.scrollDepth,
      engagement_time: hit.engagementTime,
    };
    const row = enricher.enrich(
      body,
      parsePageUrl(hit.url),
      siteId,
      { ip: hit.ip, userAgent: hit.userAgent },
      hit.timestamp,
    );
    // Synthetic visitors have stable keys instead of IPs; hash them like the receiver would.
    const visitorId = hashVisitor('demo-seed-visitor', siteId, hit.visitorKey, hit.userAgent);
    const sessionId = hashVisitor('demo-seed-session', siteId, hit.sessionKey, hit.userAgent);
    const eventId = hashVisitor('demo-seed-event', siteId, String(index), '');
    return serializeEventRow({ ...row, visitor_id: visitorId, session_id: sessionId, event_id: eventId });
  });
  for (let i = 0; i < lines.length; i += BATCH) await events.insertJsonLines(lines.slice(i, i + BATCH));
  return lines.length;
}

export async function seedDemo(
  now = new Date(),
): Promise<{ siteId: number; inserted: number; sharedUrl: string }> {
  const config = loadStoresConfig();
  const dataSource = createDataSource(config.DATABASE_URL);
  await dataSource.initialize();
  let siteId: number;
  let sharedUrl: string;
  try {
    const { orgId, userId } = await ensureDemoAccount(dataSource);
    await ensureDemoPlan(dataSource, orgId);
    const sites = dataSource.getRepository(SiteEntity);
    await sites.upsert(
      { domain: DEMO_DOMAIN, name: 'Acme Kites (demo)', timezone: 'Europe/Berlin', orgId },
      { conflictPaths: ['domain'], indexPredicate: 'deleted_at IS NULL', skipUpdateIfNoValuesChanged: true },
    );
    siteId = (await sites.findOneByOrFail({ domain: DEMO_DOMAIN })).id;
    // The demo owner gets the weekly and monthly reports, opted in with the traffic's start, so the
    // email-reports job (hourly, or `npm run job -- email-reports`) mails the last complete week.
    await dataSource.query(
      `INSERT INTO report_subscriptions (site_id, user_id, weekly_since, monthly_since)
       VALUES ($1, $2, now() - interval '60 days', now() - interval '60 days') ON CONFLICT DO NOTHING`,
      [siteId, userId],
    );
    // Six months of Plausible history before the native traffic, imported by the workers.
    await seedDemoImport(dataSource, siteId, userId, new Date(startOfHour(now).getTime() - 60 * 86_400_000));
    sharedUrl = await ensureDemoSharedLink(dataSource, siteId, userId);
    await seedDemoFunnels(dataSource, siteId);
  } finally {
    await dataSource.destroy();
  }

  const clickhouse = createClickHouseClient({
    url: config.CLICKHOUSE_URL,
    database: config.CLICKHOUSE_DATABASE,
    username: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
  });
  try {
    // Web vitals of the same traffic (the Performance panel); on their own check, so a demo
    // seeded before vitals existed gets them too.
    await seedDemoVitals(clickhouse, siteId, {
      domain: DEMO_DOMAIN,
      end: startOfHour(now),
      days: 60,
      seed: 20261122,
    });
    // Two periods, so the default "Last 30 days" view has real change-vs-previous figures.
    const inserted = await seedDemoEvents(clickhouse, siteId, { end: startOfHour(now), days: 60 });
    return { siteId, inserted, sharedUrl };
  } finally {
    await clickhouse.close();
  }
}

// (`require` is undefined when a test imports this file as an ES module.)
if (typeof require !== 'undefined' && require.main === module) {
  seedDemo()
    .then(({ siteId, inserted, sharedUrl }) => {
      console.log(
        inserted ? `demo site #${siteId}: seeded ${inserted} events` : `demo site #${siteId}: already seeded`,
      );
      console.log(`demo shared dashboard (read-only, no sign-in): ${sharedUrl}`);
    })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
