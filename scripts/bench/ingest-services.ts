// Starts the systems under test as black-box child processes: the ingest receiver and flusher
// exactly as production runs them (the bundles the ingest image ships), and the bare node:http baseline.
import { join } from 'node:path';
import { freePort, run, startProcess, stopProcess, waitFor, type ManagedProcess } from '../dev/processes.mjs';
import type { BenchStores, OnCleanup } from './bench-stores';

const LOOPBACK = '127.0.0.1';

export interface Service {
  process: ManagedProcess;
  /** Base URL of the public port. */
  url: string;
  /** Base URL of the internal /metrics, /healthz, /readyz port (ingest services only). */
  internalUrl?: string;
}

async function httpOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

function exitedGuard(name: string, child: ManagedProcess): void {
  if (child.exitCode !== null || child.signalCode !== null)
    throw new Error(`${name} exited during start-up (${child.exitCode ?? child.signalCode})`);
}

export async function startIngest(
  root: string,
  runId: string,
  stores: BenchStores,
  onCleanup: OnCleanup,
  cpuProfileDir?: string,
): Promise<{ receiver: Service; flusher: Service }> {
  const [ingestPort, receiverMetricsPort, flusherMetricsPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const env = {
    ...process.env,
    ...stores.env,
    LOG_LEVEL: 'warn',
    // Loopback only: the bench must never listen on, or send to, another address.
    INGEST_HOST: LOOPBACK,
    INGEST_PORT: String(ingestPort),
    INGEST_METRICS_PORT: String(receiverMetricsPort),
    FLUSHER_METRICS_PORT: String(flusherMetricsPort),
    // The load generator is the "proxy": its X-Forwarded-For carries the visitor's public IP.
    TRUSTED_PROXY_HOPS: '1',
    FLUSHER_CONSUMER: `bench-${runId}`,
    // The receiver's disk spool (used while Redis is down) must not land in the developer's .data/spool.
    INGEST_SPOOL_DIR: join(stores.runDir, 'spool'),
  };
  // Measure what production runs: the esbuild bundles of ingest/Dockerfile, not tsx from source.
  run('npm', ['run', '--silent', 'build', '-w', '@sightline/tracker'], { cwd: root, stdio: 'ignore' });
  run(process.execPath, [join(root, 'ingest', 'build.mjs')], { cwd: root, stdio: 'ignore' });
  // --cpu-prof writes its profile when the process exits cleanly, which SIGTERM (stopProcess) gives.
  const profile = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : [];
  // Same runtime flags as the image (ingest/Dockerfile): a small young generation keeps RSS and
  // GC pauses down at no measurable throughput cost.
  const bundleEnv = {
    ...env,
    NODE_ENV: 'production',
    NODE_OPTIONS: '--max-semi-space-size=4',
    TRACKER_SCRIPT_FILE: join(root, 'tracker', 'dist', 'script.js'),
  };
  const start = (name: string, bundle: string) =>
    startProcess(name, process.execPath, [...profile, '--enable-source-maps', join(root, bundle)], {
      cwd: root,
      env: bundleEnv,
    });

  const receiverProcess = start('receiver', 'ingest/dist/receiver.js');
  onCleanup('receiver', () => stopProcess(receiverProcess, 5_000));
  const flusherProcess = start('flusher', 'ingest/dist/flusher.js');
  onCleanup('flusher', () => stopProcess(flusherProcess, 5_000));

  const receiver: Service = {
    process: receiverProcess,
    url: `http://${LOOPBACK}:${ingestPort}`,
    internalUrl: `http://${LOOPBACK}:${receiverMetricsPort}`,
  };
  const flusher: Service = {
    process: flusherProcess,
    url: `http://${LOOPBACK}:${flusherMetricsPort}`,
    internalUrl: `http://${LOOPBACK}:${flusherMetricsPort}`,
  };
  await Promise.all([
    waitFor(
      'receiver /readyz',
      () => (exitedGuard('receiver', receiverProcess), httpOk(`${receiver.url}/readyz`)),
      60_000,
    ),
    waitFor(
      'flusher /readyz',
      () => (exitedGuard('flusher', flusherProcess), httpOk(`${flusher.internalUrl}/readyz`)),
      60_000,
    ),
  ]);
  return { receiver, flusher };
}

export async function startBareServer(onCleanup: OnCleanup): Promise<Service> {
  const port = await freePort();
  const child = startProcess('bare-http', process.execPath, [
    join(__dirname, 'bare-http-server.mjs'),
    String(port),
  ]);
  onCleanup('bare http server', () => stopProcess(child, 3_000));
  const url = `http://${LOOPBACK}:${port}`;
  await waitFor(
    'bare http server',
    async () => {
      exitedGuard('bare http server', child);
      try {
        const res = await fetch(url, { method: 'POST', body: '{}', signal: AbortSignal.timeout(1_000) });
        await res.body?.cancel();
        return res.status === 202;
      } catch {
        return false;
      }
    },
    10_000,
  );
  return { process: child, url };
}
