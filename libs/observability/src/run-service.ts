import type { Logger } from 'pino';
import { flushErrorReports, reportError } from './error-reporting';

export interface RunningService {
  logger: Logger;
  /** Stops taking work, finishes what is in flight and releases connections. */
  stop(): Promise<void>;
}

/**
 * The life cycle every long-running process shares: start, stop cleanly on SIGTERM/SIGINT, and
 * on a start-up failure print the reason, report it and exit non-zero.
 */
export function runService(name: string, start: () => Promise<RunningService>): void {
  start()
    .then((service) => {
      const shutdown = async (signal: string) => {
        service.logger.info({ signal }, `${name} shutting down`);
        await service.stop();
        await flushErrorReports();
        process.exit(0);
      };
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      process.once('SIGINT', () => void shutdown('SIGINT'));
    })
    .catch(async (err: unknown) => {
      console.error(`${name} failed to start: ${err instanceof Error ? err.message : String(err)}`);
      reportError(err);
      await flushErrorReports();
      process.exit(1);
    });
}
