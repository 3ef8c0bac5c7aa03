// `npm start`: install what is missing, make the stores reachable, migrate, seed the demo site,
// and run every service with prefixed logs. Ctrl-C stops everything this script started.
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { ensureDashboardBuild } from './dev/dashboard.mjs';
import { ensureDependencies } from './dev/dependencies.mjs';
import { portsFrom } from './dev/environment.mjs';
// The harness that starts stores and services (one for npm start, npm test, tests and loadtests/);
// imported by path because node_modules may not exist yet.
import { configureOutput, paint, say } from '../libs/harness/src/output.mjs';
import { canConnect, run, startProcess, stopProcess, tsNode } from '../libs/harness/src/processes.mjs';
import { dashboardCommand, startService, waitForHttp } from '../libs/harness/src/services.mjs';
import { ensureClickHouse, ensurePostgres, ensureRedis } from '../libs/harness/src/stores.mjs';

configureOutput({ color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR });

const root = resolve(import.meta.dirname, '..');
/** Stop functions of everything this script started, in start order. */
const started = [];
let stopping = false;

async function main() {
  ensureDependencies(root);
  const ports = portsFrom(process.env);
  // Before anything slow: a port in use means another npm start (or another program) holds it.
  for (const name of [
    'INGEST_PORT',
    'INGEST_METRICS_PORT',
    'FLUSHER_METRICS_PORT',
    'DEMO_PORT',
    'API_PORT',
    'API_METRICS_PORT',
    'WORKERS_METRICS_PORT',
    'DASHBOARD_PORT',
  ]) {
    if (await canConnect('127.0.0.1', ports[name]))
      throw new Error(
        `Port ${ports[name]} (${name}) is in use — is npm start already running? Set ${name} to use another.`,
      );
  }

  const postgres = await ensurePostgres(process.env.DATABASE_URL);
  const redis = await ensureRedis(process.env.REDIS_URL);
  const clickhouse = await ensureClickHouse(process.env.CLICKHOUSE_URL, {
    dataDir: join(root, '.data', 'clickhouse'),
    httpPort: ports.CLICKHOUSE_HTTP_PORT,
    tcpPort: ports.CLICKHOUSE_TCP_PORT,
    interserverPort: ports.CLICKHOUSE_INTERSERVER_PORT,
  });
  if (clickhouse.started) started.push(() => clickhouse.started.stop());

  const ingestUrl = process.env.INGEST_PUBLIC_URL ?? `http://localhost:${ports.INGEST_PORT}`;
  const appUrl = process.env.PUBLIC_APP_URL ?? `http://localhost:${ports.DASHBOARD_PORT}`;
  const env = {
    ...process.env,
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    CLICKHOUSE_URL: clickhouse.url,
    CLICKHOUSE_DATABASE: process.env.CLICKHOUSE_DATABASE ?? 'sightline',
    INGEST_PORT: String(ports.INGEST_PORT),
    INGEST_METRICS_PORT: String(ports.INGEST_METRICS_PORT),
    FLUSHER_METRICS_PORT: String(ports.FLUSHER_METRICS_PORT),
    DEMO_PORT: String(ports.DEMO_PORT),
    INGEST_PUBLIC_URL: ingestUrl,
    PUBLIC_INGEST_URL: ingestUrl,
    PUBLIC_APP_URL: appUrl,
    API_PORT: String(ports.API_PORT),
    API_METRICS_PORT: String(ports.API_METRICS_PORT),
    WORKERS_METRICS_PORT: String(ports.WORKERS_METRICS_PORT),
    API_INTERNAL_URL: `http://127.0.0.1:${ports.API_PORT}`,
    MAIL_DIR: process.env.MAIL_DIR ?? join(root, '.data', 'mail'),
    // A ClickHouse started here has the users of libs/harness/src/stores.mjs: the API queries read-only,
    // the flusher inserts without DDL rights.
    ...(clickhouse.started && !process.env.API_CLICKHOUSE_USER
      ? { API_CLICKHOUSE_USER: 'sightline_api' }
      : {}),
    ...(clickhouse.started && !process.env.FLUSHER_CLICKHOUSE_USER
      ? { FLUSHER_CLICKHOUSE_USER: 'sightline_flusher' }
      : {}),
  };

  // Without real Stripe keys, billing runs against the local Stripe emulator (development only).
  const stripeEmulator = process.env.STRIPE_SECRET_KEY ? null : stripeEmulatorEnv(ports.API_PORT);
  if (stripeEmulator) Object.assign(env, stripeEmulator);

  say('applying migrations');
  run(...tsNode('scripts/setup/prepare-stores.ts'), { cwd: root, env });
  say('seeding the demo account and site');
  run(...tsNode('scripts/seed/seed-demo.ts'), { cwd: root, env });
  run(...tsNode('scripts/seed/seed-staff.ts'), { cwd: root, env });
  ensureDashboardBuild(root, env);

  const children = {};
  for (const name of [
    ...(stripeEmulator ? ['stripe-emulator'] : []),
    'receiver',
    'flusher',
    'demo-site',
    'api',
    'workers',
    'dashboard',
  ]) {
    const child = startChild(name, env, ports.DASHBOARD_PORT);
    children[name] = child;
    started.push(() => stopProcess(child));
    child.exited.then(({ code, signal }) => {
      if (stopping) return;
      say(paint(31, `${name} exited (${signal ?? code}); stopping everything`));
      void shutdown(1);
    });
  }
  for (const [what, url, name] of [
    ['the ingest receiver', `http://127.0.0.1:${ports.INGEST_PORT}/readyz`, 'receiver'],
    ['the API', `http://127.0.0.1:${ports.API_PORT}/api/ready`, 'api'],
    ['the dashboard', `http://127.0.0.1:${ports.DASHBOARD_PORT}/login`, 'dashboard'],
    ['the workers', `http://127.0.0.1:${ports.WORKERS_METRICS_PORT}/healthz`, 'workers'],
  ]) {
    await waitForHttp(what, url, children[name]);
  }
  const demo = {
    email: process.env.DEMO_EMAIL ?? 'demo@sightline.test',
    password: process.env.DEMO_PASSWORD ?? 'sightline-demo',
  };

  console.log('');
  say(paint(32, 'Sightline is running'));
  say(`  dashboard         ${appUrl}/login`);
  say(
    `  demo account      ${demo.email} / ${demo.password}   (site demo.sightline.test, 60 days of traffic)`,
  );
  say(
    `  API               http://localhost:${ports.API_PORT}/api   (reference: http://localhost:${ports.API_PORT}/api/docs)`,
  );
  say(`  mail (no SMTP)    ${env.MAIL_DIR}`);
  say(`  demo website      http://localhost:${ports.DEMO_PORT}/   (visits land in ClickHouse within ~1 s)`);
  say(`  ingest            ${ingestUrl}   (POST /api/event, GET /js/script.js)`);
  say(
    `  ingest metrics    http://localhost:${ports.INGEST_METRICS_PORT}/metrics, flusher http://localhost:${ports.FLUSHER_METRICS_PORT}/metrics`,
  );
  say(
    `  workers           http://localhost:${ports.WORKERS_METRICS_PORT}/metrics   (jobs: npm run job -- --list)`,
  );
  say(`  clickhouse        ${clickhouse.url} (database ${env.CLICKHOUSE_DATABASE})`);
  if (stripeEmulator)
    say(
      `  stripe emulator   ${stripeEmulator.STRIPE_API_URL}   (development only; webhook secret ${stripeEmulator.STRIPE_WEBHOOK_SECRET})`,
    );
  say('  press Ctrl-C to stop');
}

/** The services through the harness; the demo website and the dashboard's `next start` besides. */
function startChild(name, env, dashboardPort) {
  if (name === 'demo-site')
    return startProcess(name, ...tsNode('scripts/demo-site/main.ts'), { cwd: root, env });
  if (name === 'dashboard')
    return startProcess(name, ...dashboardCommand(root, dashboardPort), {
      cwd: join(root, 'dashboard'),
      env,
    });
  // The API sits behind the dashboard's /api rewrite, which appends the caller's address: one trusted hop.
  return startService(name, { env: name === 'api' ? { ...env, TRUSTED_PROXY_HOPS: '1' } : env });
}

/** Settings for the local Stripe emulator and for the API talking to it (no real Stripe key set). */
function stripeEmulatorEnv(apiPort) {
  const port = Number(process.env.STRIPE_EMULATOR_PORT ?? 12111);
  return {
    STRIPE_EMULATOR_PORT: String(port),
    STRIPE_EMULATOR_WEBHOOK_URL: `http://127.0.0.1:${apiPort}/api/stripe/webhook`,
    STRIPE_API_URL: `http://127.0.0.1:${port}`,
    STRIPE_SECRET_KEY: 'sk_test_emulator',
    STRIPE_WEBHOOK_SECRET: `whsec_emulator_${randomBytes(16).toString('hex')}`,
    STRIPE_PRICE_BASIC_MONTHLY: 'price_emulator_basic_monthly',
    STRIPE_PRICE_BASIC_YEARLY: 'price_emulator_basic_yearly',
    STRIPE_PRICE_PREMIUM_MONTHLY: 'price_emulator_premium_monthly',
    STRIPE_PRICE_PREMIUM_YEARLY: 'price_emulator_premium_yearly',
  };
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  say('stopping');
  for (const stop of [...started].reverse()) await stop();
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
main().catch(async (err) => {
  say(paint(31, err instanceof Error ? err.message : String(err)));
  await shutdown(1);
});
