// `npm run chaos:ingest`: proves with counts that Redis outages, ClickHouse outages and kill -9 of
// the receiver and the flusher lose no acknowledged event. Prints a short report of the faults and
// then exactly one summary line; exits 1 when an acknowledged event is missing from ClickHouse.
import { join } from 'node:path';
import { optionsFromArgs, USAGE, type ChaosOptions } from './chaos-options';
import { formatReport, formatSummary } from './chaos-report';
import { runChaos } from './run-chaos';

export { runChaos } from './run-chaos';
export type { ChaosOptions, ChaosResult } from './run-chaos';
export { defaultOptions } from './chaos-options';

async function main(): Promise<number> {
  const root = join(__dirname, '..', '..');
  let options: ChaosOptions | null;
  try {
    options = optionsFromArgs(process.argv.slice(2), root);
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  if (options === null) {
    console.log(USAGE);
    return 0;
  }

  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts += 1;
    if (interrupts === 1) {
      console.log(`[chaos] ${signal}: stopping and cleaning up (again to kill everything at once)`);
      controller.abort();
    } else {
      process.exit(130); // the exit hook SIGKILLs the children; the database may be left behind
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const started = Date.now();
  try {
    const result = await runChaos({ ...options, signal: controller.signal });
    console.log('');
    for (const line of formatReport(result)) console.log(line);
    console.log(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(formatSummary(result));
    return result.lost > 0 ? 1 : 0;
  } catch (err) {
    if (controller.signal.aborted) {
      console.log('[chaos] interrupted; everything it started has been stopped and removed');
      return 130;
    }
    console.error(`[chaos] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
