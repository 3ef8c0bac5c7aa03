import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

export class SpoolFullError extends Error {
  constructor(maxBytes: number) {
    super(`disk spool is full (${maxBytes} bytes)`);
  }
}

interface PendingAppend {
  data: Buffer;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const READ_CHUNK_BYTES = 1 << 20;

/**
 * Where the receiver puts events while Redis cannot take them: an append-only file of row lines
 * plus a file with the offset up to which lines have been moved to the stream.
 *
 * - `append` resolves only after the line is fsync'd; concurrent appends share one write and one
 *   fdatasync (group commit), so a 202 is never given for an event that is only in memory.
 * - The spool is bounded: past `maxBytes` an append throws `SpoolFullError` (the caller answers 503).
 * - `drainChunk` hands the oldest lines to a writer and advances the offset only after the writer
 *   succeeded; when everything is drained both files are truncated. A crash between the two
 *   replays a chunk, which is why drained lines are marked for deduplication downstream.
 * - A torn last line (a crash during a write, never acknowledged) is cut off on open.
 */
export class DiskSpool {
  private pending: PendingAppend[] = [];
  private writing = false;
  private lock: Promise<unknown> = Promise.resolve();
  /** An append was refused for lack of room and nothing has been drained since. */
  private full = false;

  private constructor(
    private readonly data: FileHandle,
    private readonly offsetFile: FileHandle,
    private size: number,
    private offset: number,
    readonly maxBytes: number,
  ) {}

  static async open(dir: string, maxBytes: number): Promise<DiskSpool> {
    await mkdir(dir, { recursive: true });
    const data = await open(join(dir, 'events.spool'), 'a+');
    const offsetFile = await open(join(dir, 'events.offset'), 'a+');
    let size = (await data.stat()).size;
    size = await cutTornTail(data, size);
    const stored = Number((await offsetFile.readFile('utf8')).trim() || '0');
    // An offset past the end cannot be trusted: replay everything (downstream deduplicates).
    const offset = Number.isSafeInteger(stored) && stored >= 0 && stored <= size ? stored : 0;
    return new DiskSpool(data, offsetFile, size, offset, maxBytes);
  }

  /** Bytes appended but not yet drained. */
  get backlogBytes(): number {
    return this.size - this.offset + this.pending.reduce((n, p) => n + p.data.length, 0);
  }

  isFull(): boolean {
    return this.full;
  }

  hasData(): boolean {
    return this.backlogBytes > 0 || this.writing;
  }

  append(line: string): Promise<void> {
    const data = Buffer.from(line + '\n');
    if (this.size + this.backlogPendingBytes() + data.length > this.maxBytes) {
      this.full = true;
      return Promise.reject(new SpoolFullError(this.maxBytes));
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ data, resolve, reject });
      if (!this.writing) void this.writePending();
    });
  }

  /** Moves up to ~1 MB of the oldest lines through `write`; returns how many lines it moved. */
  async drainChunk(write: (lines: string[]) => Promise<void>): Promise<number> {
    const chunk = await this.exclusive(() => this.readChunk());
    if (chunk.lines.length === 0) return 0;
    await write(chunk.lines);
    await this.exclusive(async () => {
      this.offset += chunk.bytes;
      this.full = false;
      // Safe even with appends queued: writes run exclusively and append at the (new) end.
      if (this.offset >= this.size) {
        await this.data.truncate(0);
        this.size = 0;
        this.offset = 0;
      }
      await this.offsetFile.truncate(0);
      await this.offsetFile.write(String(this.offset), 0);
      await this.offsetFile.datasync();
    });
    return chunk.lines.length;
  }

  async close(): Promise<void> {
    while (this.writing || this.pending.length > 0) await new Promise((r) => setTimeout(r, 5));
    await this.data.close();
    await this.offsetFile.close();
  }

  private backlogPendingBytes(): number {
    return this.pending.reduce((n, p) => n + p.data.length, 0);
  }

  /** Group commit: everything queued while the previous write was in flight goes in one write. */
  private async writePending(): Promise<void> {
    this.writing = true;
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        await this.exclusive(async () => {
          const buffer = Buffer.concat(batch.map((p) => p.data));
          await this.data.write(buffer, 0, buffer.length, null);
          await this.data.datasync();
          this.size += buffer.length;
        });
        for (const p of batch) p.resolve();
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    this.writing = false;
  }

  private async readChunk(): Promise<{ lines: string[]; bytes: number }> {
    const length = Math.min(READ_CHUNK_BYTES, this.size - this.offset);
    if (length <= 0) return { lines: [], bytes: 0 };
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await this.data.read(buffer, 0, length, this.offset);
    const lastNewline = buffer.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (lastNewline < 0) return { lines: [], bytes: 0 };
    const text = buffer.subarray(0, lastNewline).toString('utf8');
    return { lines: text.split('\n').filter((l) => l.length > 0), bytes: lastNewline + 1 };
  }

  /** File operations run one at a time: appends, chunk reads, offset updates and truncation. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }
}

async function cutTornTail(file: FileHandle, size: number): Promise<number> {
  if (size === 0) return 0;
  const tail = Buffer.alloc(Math.min(size, READ_CHUNK_BYTES));
  await file.read(tail, 0, tail.length, size - tail.length);
  if (tail[tail.length - 1] === 0x0a) return size;
  const lastNewline = tail.lastIndexOf(0x0a);
  const keep = lastNewline < 0 ? size - tail.length : size - tail.length + lastNewline + 1;
  await file.truncate(keep);
  return keep;
}
