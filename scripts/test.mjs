// `npm test`: the same set-up as `npm start`, but on fresh, private stores — a new Postgres
// database, a throw-away Redis and ClickHouse on free ports — then lint, typecheck and every
// test tier. Ends with one line `N passed, N failed`.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { ensureDashboardBuild } from './dev/dashboard.mjs';
import { ensureDependencies } from './dev/dependencies.mjs';
// The harness that starts stores and services, by path: node_modules may not exist yet.
import { configureOutput, paint, say } from '../libs/harness/src/output.mjs';
import { canConnect, ensureDebianPackage, freePort, run, tsNode } from '../libs/harness/src/processes.mjs';
import { ensurePostgres, PrivateClickHouse, PrivateRedis } from '../libs/harness/src/stores.mjs';

configureOutput({ color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR });

const root = resolve(import.meta.dirname, '..');
const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
/** The private stores, stopped at the end. */
const started = [];
const vitestArgs = process.argv.slice(2);
// Fixed per checkout (so the cached test build stays valid) but different between checkouts, so two
// clones testing at once on one machine do not both put their e2e API on the same port.
const E2E_API_PORT = 4900 + (createHash('sha1').update(root).digest().readUInt16BE(0) % 100);

async function main() {
  ensureDependencies(root);
  ensureDebianPackage('chromium', 'chromium');
  // promtool/amtool for deploy/k8s/monitoring.spec.ts; the test skips (saying why) when unavailable.
  for (const [command, pkg] of [
    ['promtool', 'prometheus'],
    ['amtool', 'prometheus-alertmanager'],
  ]) {
    try {
      ensureDebianPackage(command, pkg);
    } catch (err) {
      say(`${pkg} not installed (${err instanceof Error ? err.message : err}): its checks are skipped`);
    }
  }
  const postgres = await ensurePostgres(process.env.TEST_DATABASE_ADMIN_URL);
  const databaseUrl = new URL(postgres.url);
  databaseUrl.pathname = `/sightline_test_${runId}`;
  const redis = await PrivateRedis.start();
  started.push(redis);
  const chDir = join(root, '.data', 'test', `clickhouse-${runId}`);
  const clickhouse = await PrivateClickHouse.start({ dataDir: chDir, fresh: true });
  started.push(clickhouse);

  const env = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    DATABASE_URL: databaseUrl.toString(),
    REDIS_URL: redis.url,
    CLICKHOUSE_URL: clickhouse.url,
    CLICKHOUSE_DATABASE: 'sightline_test',
    // The users libs/harness/src/stores.mjs creates: the API's queries run read-only with limits.
    API_CLICKHOUSE_USER: 'sightline_api',
    FLUSHER_CLICKHOUSE_USER: 'sightline_flusher',
    TEST_CLICKHOUSE_DATA_DIR: chDir,
  };
  say('preparing test stores');
  run(...tsNode('scripts/setup/prepare-stores.ts'), { cwd: root, env });

  // The dashboard e2e test runs the production build against an API on a port fixed at build time
  // (Next compiles rewrites into the build); the usual port keeps the cached build valid.
  if (vitestArgs.length === 0 || vitestArgs.some((a) => /dashboard|e2e/.test(a))) {
    const apiPort = (await canConnect('127.0.0.1', E2E_API_PORT)) ? await freePort() : E2E_API_PORT;
    env.E2E_API_PORT = String(apiPort);
    env.E2E_DASHBOARD_DIST_DIR = '.next-test';
    ensureDashboardBuild(root, { ...env, API_INTERNAL_URL: `http://127.0.0.1:${apiPort}` }, '.next-test');
  }

  const checks = [];
  if (vitestArgs.length === 0) {
    checks.push(check('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json']));
    checks.push(check('typecheck tracker', 'npx', ['tsc', '-p', 'tracker/tsconfig.json']));
    checks.push(check('typecheck dashboard', 'npx', ['tsc', '-p', 'dashboard/tsconfig.json']));
    checks.push(check('lint', 'npx', ['eslint', '--max-warnings', '0', '.']));
    checks.push(check('format', 'npx', ['prettier', '--check', '--log-level=warn', '.']));
  }

  mkdirSync(join(root, 'test-results'), { recursive: true });
  const report = join(root, 'test-results', 'vitest.json');
  rmSync(report, { force: true });
  say('running tests');
  spawnSync(
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...vitestArgs],
    {
      cwd: root,
      env,
      stdio: 'inherit',
    },
  );
  const results = existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : null;
  let passed = (results?.numPassedTests ?? 0) + checks.filter((c) => c.ok).length;
  let failed = (results?.numFailedTests ?? 0) + checks.filter((c) => !c.ok).length;
  if (!results) failed += 1; // vitest itself did not complete
  if (results && results.numFailedTestSuites > 0 && results.numFailedTests === 0)
    failed += results.numFailedTestSuites;
  for (const c of checks.filter((c) => !c.ok)) say(paint(31, `check failed: ${c.name}`));
  await cleanup(databaseUrl, env);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 || passed === 0 ? 1 : 0);
}

function check(name, cmd, args) {
  say(`${name}`);
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  return { name, ok: result.status === 0 };
}

async function cleanup(databaseUrl, env) {
  for (const store of started.reverse()) await store.stop(10_000);
  const dropped = spawnSync(...tsNode('scripts/setup/drop-database.ts'), {
    cwd: root,
    env: { ...env, DATABASE_URL: databaseUrl.toString() },
    stdio: 'inherit',
  });
  if (dropped.status !== 0) say('could not drop the test database (ignored)');
  rmSync(join(root, '.data', 'test'), { recursive: true, force: true });
}

main().catch(async (err) => {
  say(paint(31, err instanceof Error ? (err.stack ?? err.message) : String(err)));
  for (const store of started) await store.stop(10_000);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
