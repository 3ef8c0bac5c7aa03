/**
 * Undo steps of a run, run last-in first-out exactly once (also after Ctrl-C or a failure); one
 * failing step is reported and does not stop the others.
 */
export class CleanupStack {
  private readonly steps: { what: string; fn: () => Promise<void> | void }[] = [];
  private running: Promise<void> | null = null;

  constructor(private readonly say: (message: string) => void) {}

  push(what: string, fn: () => Promise<void> | void): void {
    this.steps.push({ what, fn });
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (let step = this.steps.pop(); step; step = this.steps.pop()) {
        try {
          await step.fn();
        } catch (err) {
          this.say(`clean-up: could not ${step.what}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    })();
    return this.running;
  }
}

/**
 * On the first SIGINT or SIGTERM: runs the stack and exits 130 (the run itself then fails quietly
 * as its stores go away). `interrupted()` tells the run's own error path to stay silent.
 */
export function cleanUpOnSignals(stack: CleanupStack, say: (message: string) => void): () => boolean {
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = true;
      say(`${signal}: stopping and cleaning up`);
      void stack.run().finally(() => process.exit(130));
    });
  }
  return () => interrupted;
}
