// The systems under test of the ingest bench, through the shared harness: the receiver and flusher
// exactly as production runs them (the bundles the ingest image ships), and the bare node:http
// baseline. Everything registers its undo step on the run's clean-up stack.
import { join } from 'node:path';
import {
  buildIngestBundles,
  freePort,
  ingestRun,
  isRunning,
  startIngestService,
  startProcess,
  stopProcess,
  waitFor,
  type CleanupStack,
  type ManagedProcess,
  type StoresEnv,
} from '@sightline/harness';

export interface Service {
  process: ManagedProcess;
  /** Base URL of the public port. */
  url: string;
  /** Base URL of the internal /metrics, /healthz, /readyz port (ingest services only). */
  internalUrl?: string;
}

export async function startIngest(
  stores: StoresEnv,
  opts: {
    runId: string;
    runDir: string;
    cleanup: CleanupStack;
    cpuProfileDir: string | undefined;
    /** INGEST_WORKERS: receiver processes. */
    workers: number;
  },
): Promise<{ receiver: Service; flusher: Service }> {
  // Measure what production runs: the esbuild bundles of ingest/Dockerfile (and the prebuilt
  // tracker script it serves), not tsx from source.
  buildIngestBundles();
  const run = await ingestRun(stores, {
    runDir: opts.runDir,
    consumer: `bench-${opts.runId}`,
    extra: { INGEST_WORKERS: String(opts.workers) },
  });
  // --cpu-prof writes its profile when the process exits cleanly, which SIGTERM (stopProcess) gives.
  const nodeArgs = opts.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}`] : [];
  const start = async (role: 'receiver' | 'flusher') => {
    const child = await startIngestService(role, run, { from: 'bundle', nodeArgs });
    opts.cleanup.push(`stop ${role}`, () => stopProcess(child, 5_000));
    return child;
  };
  const [receiver, flusher] = await Promise.all([start('receiver'), start('flusher')]);
  return {
    receiver: { process: receiver, url: run.receiverUrl, internalUrl: run.receiverInternalUrl },
    flusher: { process: flusher, url: run.flusherInternalUrl, internalUrl: run.flusherInternalUrl },
  };
}

/** The bare node:http baseline, as one process or as a node:cluster of `workers` processes. */
export async function startBareServer(cleanup: CleanupStack, workers = 1): Promise<Service> {
  const port = await freePort();
  const child = startProcess('bare-http', process.execPath, [
    join(__dirname, 'bare-http-server.mjs'),
    String(port),
    String(workers),
  ]);
  cleanup.push('stop the bare http server', () => stopProcess(child, 3_000));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    'bare http server',
    async () => {
      if (!isRunning(child))
        throw new Error(`bare http server exited (${child.exitCode ?? child.signalCode})`);
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
