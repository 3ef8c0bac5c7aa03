import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inheritedEnvironment } from '@sightline/config';

// What api/Dockerfile ships: the esbuild bundle of api/build.mjs, run by plain `node` (no tsx) with the
// image's flags, against this run's stores. Catches what the in-process tests cannot: a dependency
// bundled or left out by mistake, NestJS optional packages, argon2's native addon, require.resolve'd
// assets (swagger-ui-dist, the country database), class names Nest and TypeORM read.

const ROOT = join(__dirname, '..', '..');
const APP_ORIGIN = 'http://app.sightline.test';
// Inside the repository, so the bundle resolves node_modules as it does in the image (/app/api/dist).
const OUT_DIR = join(ROOT, '.data', 'test', `api-bundle-${randomBytes(4).toString('hex')}`);

interface Listening {
  port: number;
  metricsPort: number;
}

let child: (ChildProcess & { exited: Promise<number | string> }) | undefined;
const output: string[] = [];
let listening: Listening;

/** Resolves with the ports of the "api listening" log line, rejects if the process exits first. */
function waitForListening(proc: ChildProcess & { exited: Promise<number | string> }): Promise<Listening> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(
      () => reject(new Error(`the bundle did not start:\n${output.join('')}`)),
      20_000,
    );
    proc.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as { msg?: string; port?: number; metricsPort?: number };
        if (entry.msg === 'api listening' && entry.port && entry.metricsPort) {
          clearTimeout(timer);
          resolve({ port: entry.port, metricsPort: entry.metricsPort });
        }
      }
    });
    void proc.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the bundle exited (${code}) before listening:\n${output.join('')}`));
    });
  });
}

describe('api bundle (api/build.mjs, as in api/Dockerfile)', () => {
  beforeAll(async () => {
    execFileSync(process.execPath, [join(ROOT, 'api', 'build.mjs'), '--outdir', OUT_DIR], {
      cwd: ROOT,
      stdio: 'pipe',
    });
    const proc = spawn(process.execPath, [join(OUT_DIR, 'main.js')], {
      cwd: ROOT,
      env: {
        // DATABASE_URL, REDIS_URL, CLICKHOUSE_* of this test run (scripts/test.mjs).
        ...inheritedEnvironment(),
        NODE_ENV: 'production',
        NODE_OPTIONS: '--enable-source-maps',
        LOG_LEVEL: 'info',
        API_HOST: '127.0.0.1',
        API_PORT: '0',
        API_METRICS_PORT: '0',
        PUBLIC_APP_URL: APP_ORIGIN,
        MAIL_DIR: join(OUT_DIR, 'mail'),
        // The run's tests all sign up from 127.0.0.1 (the limit has its own test).
        SIGNUPS_PER_HOUR_PER_IP: '100000',
        RATE_LIMIT_SCALE: '1000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }) as ChildProcess & { exited: Promise<number | string> };
    proc.exited = new Promise((resolve) =>
      proc.once('exit', (code, signal) => resolve(signal ?? code ?? -1)),
    );
    proc.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
    proc.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    child = proc;
    listening = await waitForListening(proc);
  });

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await child.exited;
    }
    rmSync(OUT_DIR, { recursive: true, force: true });
  });

  /** A request to the bundle; the body is read in full, so no connection stays busy at shutdown. */
  const request = async (url: string, init?: RequestInit) => {
    const res = await fetch(url, init);
    return { status: res.status, body: await res.text() };
  };
  const api = (path: string, init?: RequestInit) =>
    request(`http://127.0.0.1:${listening.port}${path}`, init);

  it('answers /api/health and /api/ready (Postgres, Redis and ClickHouse reached) with 200', async () => {
    const health = await api('/api/health');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok' });
    const ready = await api('/api/ready');
    expect(ready.status, ready.body).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ status: 'ready', analytics: 'up' });
    const internal = await request(`http://127.0.0.1:${listening.metricsPort}/readyz`);
    expect(internal.status, internal.body).toBe(200);
  });

  it('signs a user up (argon2 native addon, TypeORM entities) and serves the API reference', async () => {
    const signup = await api('/api/auth/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: APP_ORIGIN },
      body: JSON.stringify({
        email: `bundle-${randomBytes(4).toString('hex')}@example.test`,
        password: `pw-${randomBytes(8).toString('hex')}`,
        name: 'bundle',
      }),
    });
    expect(signup.status, signup.body).toBe(201);
    expect((await api('/api/docs/openapi.json')).status).toBe(200);
    expect((await api('/api/docs/assets/swagger-ui.css')).status).toBe(200);
  });

  it('stops on SIGTERM (what Kubernetes and docker send)', async () => {
    child?.kill('SIGTERM');
    // runService closes the app, the internal server and the stores, then exits 0.
    expect(await child?.exited).toBe(0);
    expect(output.join('')).toContain('api shutting down');
  });
});
