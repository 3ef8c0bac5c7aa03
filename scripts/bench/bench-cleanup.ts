import type { OnCleanup } from './bench-stores';

/**
 * Every thing a bench starts registers its undo; `cleanup()` runs them in reverse, once, also after
 * Ctrl-C or SIGTERM (then the process exits 130 and the run itself fails quietly as its stores go).
 */
export function benchCleanup(say: (message: string) => void): {
  onCleanup: OnCleanup;
  cleanup: () => Promise<void>;
  interrupted: () => boolean;
} {
  const undo: { what: string; run: () => Promise<void> | void }[] = [];
  let cleaning: Promise<void> | null = null;
  let interrupted = false;

  const cleanup = (): Promise<void> => {
    cleaning ??= (async () => {
      for (const step of undo.reverse()) {
        try {
          await step.run();
        } catch (err) {
          say(`clean-up of ${step.what} failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    })();
    return cleaning;
  };

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = true;
      say(`${signal}: stopping and cleaning up`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  return {
    onCleanup: (what, run) => void undo.push({ what, run }),
    cleanup,
    interrupted: () => interrupted,
  };
}
