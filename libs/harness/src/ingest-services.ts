// The ingest receiver and flusher of one run (a bench, the chaos run) as black-box child processes
// on loopback ports: only environment in, HTTP and metrics out, so they can be measured as
// production runs them or SIGKILLed as a node failure would.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnvironment, type StoresEnv } from './run-stores';
import { freePort, run, type ManagedProcess, type StartProcessOptions } from './processes.mjs';
import { REPO_ROOT, startService, waitForHttp } from './services.mjs';

const LOOPBACK = '127.0.0.1';

export interface IngestRun {
  env: NodeJS.ProcessEnv;
  /** The receiver's public base URL. */
  receiverUrl: string;
  /** Internal /metrics, /healthz, /readyz ports. */
  receiverInternalUrl: string;
  flusherInternalUrl: string;
  ports: { receiver: number; receiverMetrics: number; flusherMetrics: number };
  spoolDir: string;
}

/**
 * The services' environment on `stores`: loopback only, free ports, the spool under `runDir`, a
 * proxy in front (the load generator's X-Forwarded-For carries the visitor's address), and a
 * stable flusher consumer name, like a StatefulSet pod. `extra` comes last.
 */
export async function ingestRun(
  stores: StoresEnv,
  opts: { runDir: string; consumer: string; extra?: Record<string, string> },
): Promise<IngestRun> {
  const ports = {
    receiver: await freePort(),
    receiverMetrics: await freePort(),
    flusherMetrics: await freePort(),
  };
  const spoolDir = join(opts.runDir, 'spool');
  const tracker = join(REPO_ROOT, 'tracker', 'dist', 'script.js');
  const env: NodeJS.ProcessEnv = {
    ...isolatedEnvironment(),
    ...stores,
    LOG_LEVEL: 'warn',
    INGEST_HOST: LOOPBACK,
    INGEST_PORT: String(ports.receiver),
    INGEST_METRICS_PORT: String(ports.receiverMetrics),
    FLUSHER_METRICS_PORT: String(ports.flusherMetrics),
    TRUSTED_PROXY_HOPS: '1',
    FLUSHER_CONSUMER: opts.consumer,
    // Never the developer's .data/spool.
    INGEST_SPOOL_DIR: spoolDir,
    ...(existsSync(tracker) ? { TRACKER_SCRIPT_FILE: tracker } : {}),
    ...opts.extra,
  };
  return {
    env,
    receiverUrl: `http://${LOOPBACK}:${ports.receiver}`,
    receiverInternalUrl: `http://${LOOPBACK}:${ports.receiverMetrics}`,
    flusherInternalUrl: `http://${LOOPBACK}:${ports.flusherMetrics}`,
    ports,
    spoolDir,
  };
}

/** Builds what the ingest image ships: the tracker script and the receiver/flusher bundles. */
export function buildIngestBundles(): void {
  run('npm', ['run', '--silent', 'build', '-w', '@sightline/tracker'], { cwd: REPO_ROOT, stdio: 'ignore' });
  run(process.execPath, [join(REPO_ROOT, 'ingest', 'build.mjs')], { cwd: REPO_ROOT, stdio: 'ignore' });
}

export interface IngestServiceOptions {
  /** 'bundle': the production bundles (buildIngestBundles first) with the image's runtime flags. */
  from?: 'source' | 'bundle';
  nodeArgs?: string[];
  output?: StartProcessOptions['output'];
  detached?: boolean;
}

/** Starts one ingest service of `run`; resolves once it answers /readyz. */
export async function startIngestService(
  role: 'receiver' | 'flusher',
  ingest: IngestRun,
  opts: IngestServiceOptions = {},
): Promise<ManagedProcess> {
  const from = opts.from ?? 'source';
  const child = startService(role, {
    // As ingest/Dockerfile: a small young generation keeps RSS and GC pauses down.
    env: from === 'bundle' ? { ...ingest.env, NODE_OPTIONS: '--max-semi-space-size=4' } : ingest.env,
    from,
    nodeArgs: opts.nodeArgs ?? [],
    output: opts.output,
    detached: opts.detached ?? false,
  });
  // The receiver's public port opens last, so its own /readyz there means everything is up.
  const base = role === 'receiver' ? ingest.receiverUrl : ingest.flusherInternalUrl;
  await waitForHttp(`${role} /readyz`, `${base}/readyz`, child, 60_000);
  return child;
}
