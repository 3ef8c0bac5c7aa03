// The receiver and the flusher as real child processes (black boxes: only env in, HTTP and
// metrics out; started by the shared harness), so they can be SIGKILLed exactly as a node or OOM
// kill would, and restarted like a supervisor would when they exit on their own.
import type { WriteStream } from 'node:fs';
import { canConnect, startService, type ManagedProcess } from '@sightline/harness';

export type IngestRole = 'receiver' | 'flusher';

/** Exit of a process the run did not ask for (a crash), kept for the report. */
export interface UnexpectedExit {
  role: IngestRole;
  generation: number;
  how: string;
  atMs: number;
}

export class IngestProcess {
  private child: ManagedProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private expectingExit = false;
  private stopped = false;
  /** 1 for the first process, +1 on every restart; tags the lines in the log file. */
  generation = 0;
  readonly unexpectedExits: UnexpectedExit[] = [];

  constructor(
    readonly role: IngestRole,
    private readonly env: NodeJS.ProcessEnv,
    /** The port that accepts connections once the process is up (public or metrics port). */
    private readonly readyPort: number,
    private readonly logFile: WriteStream,
    private readonly now: () => number,
    private readonly log: (line: string) => void,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the process and resolves once its port accepts connections. */
  async start(): Promise<void> {
    this.stopped = false;
    this.spawn();
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.stopped) return;
      // Re-read each time: a process that crashed during start-up is replaced by the supervisor.
      const child = this.child;
      const alive = child !== null && child.exitCode === null && child.signalCode === null;
      if (alive && (await canConnect('127.0.0.1', this.readyPort, 500))) return;
      await sleep(100);
    }
    throw new Error(`${this.role} did not open port ${this.readyPort} within 60 s (see the log file)`);
  }

  /** kill -9: no shutdown hook runs, whatever was in memory is gone. */
  async kill9(): Promise<void> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.expectingExit = true;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Graceful stop at the end of the run (SIGTERM, SIGKILL after 15 s). */
  async stop(): Promise<void> {
    this.stopped = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.expectingExit = true;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }

  killNow(): void {
    this.stopped = true;
    this.child?.kill('SIGKILL');
  }

  private spawn(): void {
    this.generation += 1;
    const generation = this.generation;
    const tag = `[${this.role}#${generation}]`;
    const child = startService(this.role, {
      env: this.env,
      output: (line) => this.logFile.write(`${tag} ${line}\n`),
      // Own process group: Ctrl-C reaches only the chaos script, which then stops things in order.
      detached: true,
    });
    this.child = child;
    this.expectingExit = false;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        const how = signal ?? `exit code ${code}`;
        this.logFile.write(`${tag} exited: ${how}\n`);
        if (!this.expectingExit && !this.stopped) {
          // Not one of our kills: a crash the report must show. Restart it like a supervisor would.
          this.unexpectedExits.push({ role: this.role, generation, how, atMs: this.now() });
          this.log(`${this.role} #${generation} exited on its own (${how}); restarting it`);
          setTimeout(() => {
            if (!this.stopped && this.child === child) this.spawn();
          }, 1000);
        }
        resolve();
      });
    });
  }
}

/** Reads one gauge or counter from a Prometheus text endpoint; null when it cannot be read. */
export async function readMetric(url: string, name: string): Promise<number | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return null;
    const text = await res.text();
    const match = new RegExp(`^${name}(?:\\{[^}]*\\})?\\s+(\\S+)`, 'm').exec(text);
    return match?.[1] === undefined ? null : Number(match[1]);
  } catch {
    return null;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
