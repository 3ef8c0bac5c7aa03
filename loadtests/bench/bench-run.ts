// One bench run: its id, its folder (.data/bench/<run id>, removed at the end) and its clean-up
// stack; the stores come from the shared harness, private and throw-away.
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  cleanUpOnSignals,
  CleanupStack,
  REPO_ROOT,
  startRunStores,
  type RunStores,
} from '@sightline/harness';

export const BENCH_CLICKHOUSE_DATABASE = 'sightline_bench';

export interface BenchRun {
  runId: string;
  runDir: string;
  cleanup: CleanupStack;
  say: (message: string) => void;
}

export function benchRun(say: (message: string) => void): BenchRun {
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  return { runId, runDir: join(REPO_ROOT, '.data', 'bench', runId), cleanup: new CleanupStack(say), say };
}

/** A private Redis and ClickHouse and a new Postgres database `sightline_bench_<run id>`, migrated. */
export async function startBenchStores(run: BenchRun): Promise<RunStores> {
  run.say(`starting private Redis, ClickHouse and Postgres database sightline_bench_${run.runId}`);
  run.cleanup.push('remove the bench data directory', () => removeRunDir(run.runDir));
  return startRunStores({
    kind: 'bench',
    runId: run.runId,
    runDir: run.runDir,
    clickhouseDatabase: BENCH_CLICKHOUSE_DATABASE,
    cleanup: run.cleanup,
    // Throw-away data: a slow shutdown is not waited for long.
    stopTimeoutMs: 5_000,
  });
}

/**
 * Runs a bench's `main` and exits with its code after the clean-up (also after a failure; on
 * Ctrl-C or SIGTERM the signal handler cleans up and exits 130). `done` runs after the clean-up.
 */
export function runBench(run: BenchRun, main: () => Promise<number>, done?: () => void): void {
  const interrupted = cleanUpOnSignals(run.cleanup, run.say);
  main().then(
    async (code) => {
      if (interrupted()) return;
      run.say('cleaning up');
      await run.cleanup.run();
      done?.();
      process.exit(code);
    },
    async (err: unknown) => {
      if (interrupted()) return;
      console.error(`[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      await run.cleanup.run();
      process.exit(1);
    },
  );
}

/** Removes this run's directory, then `.data/bench` itself once no other run is using it. */
function removeRunDir(runDir: string): void {
  rmSync(runDir, { recursive: true, force: true });
  try {
    if (readdirSync(dirname(runDir)).length === 0) rmSync(dirname(runDir), { recursive: true, force: true });
  } catch {
    // already gone
  }
}
