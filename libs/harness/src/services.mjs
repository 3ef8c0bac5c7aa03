// The Sightline services as child processes, for every runner that starts them outside its own
// process: `npm start`, the benches, the chaos run and the tests that SIGKILL a service. One table
// of entry points; a service runs from source through tsx (what `npm start` does) or as the esbuild
// bundle its production image ships. Plain ESM without dependencies (see processes.mjs).
import { join, resolve } from 'node:path';
import { isRunning, startProcess, waitFor } from './processes.mjs';

/** The repository root (this file is libs/harness/src/services.mjs). */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');

/** Entry points, relative to the repository root. Bundles exist after the package's `build`. */
export const SERVICES = {
  receiver: { source: 'ingest/src/receiver/receiver.main.ts', bundle: 'ingest/dist/receiver.js' },
  flusher: { source: 'ingest/src/flusher/flusher.main.ts', bundle: 'ingest/dist/flusher.js' },
  api: { source: 'api/src/main.ts', bundle: 'api/dist/main.js' },
  workers: { source: 'workers/src/main.ts', bundle: 'workers/dist/main.js' },
  'stripe-emulator': { source: 'libs/stripe-emulator/src/main.ts' },
};

/**
 * Starts service `name` with exactly `env` (nothing else is inherited). `from: 'bundle'` runs the
 * production bundle with NODE_ENV=production; `nodeArgs` go before the entry (e.g. --cpu-prof).
 * Output options as startProcess: prefixed (default), 'capture' or a line callback.
 */
export function startService(
  name,
  { env, from = 'source', nodeArgs = [], output, quiet, detached = false, root = REPO_ROOT },
) {
  const entry = SERVICES[name]?.[from];
  if (!entry) throw new Error(`no ${from} entry point for service ${name}`);
  const args =
    from === 'bundle'
      ? [...nodeArgs, '--enable-source-maps', join(root, entry)]
      : [...nodeArgs, '--import', 'tsx', join(root, entry)];
  return startProcess(name, process.execPath, args, {
    cwd: root,
    env: from === 'bundle' ? { ...env, NODE_ENV: 'production' } : env,
    output,
    quiet,
    detached,
  });
}

/** True when `url` answers 2xx (within 5 s: a first page render on a loaded machine is slow). */
export async function httpOk(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/** Waits until `url` answers 2xx; fails at once when `child` exits meanwhile. */
export function waitForHttp(what, url, child, timeoutMs = 60_000) {
  return waitFor(
    what,
    async () => {
      if (child && !isRunning(child))
        throw new Error(
          `${what}: the process exited during start-up (${child.exitCode ?? child.signalCode})`,
        );
      return httpOk(url);
    },
    timeoutMs,
  );
}

/** `next start` for the dashboard on `port`: node runs Next's binary directly, so signals reach it. */
export function dashboardCommand(root, port) {
  const next = join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  // client-address.cjs passes the caller's address on to the API (X-Forwarded-For; README "Security").
  const preload = join(root, 'dashboard', 'client-address.cjs');
  return [
    process.execPath,
    ['--require', preload, next, 'start', '--port', String(port), '--hostname', '127.0.0.1'],
  ];
}
