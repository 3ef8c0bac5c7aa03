import { appendFile, mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiskSpool, SpoolFullError } from './disk-spool';

const newDir = () => mkdtemp(join(tmpdir(), 'spool-'));

async function drainAll(spool: DiskSpool): Promise<string[]> {
  const out: string[] = [];
  while ((await spool.drainChunk(async (lines) => void out.push(...lines))) > 0);
  return out;
}

describe('DiskSpool', () => {
  it('keeps concurrent appends in order and drains them, then truncates', async () => {
    const dir = await newDir();
    const spool = await DiskSpool.open(dir, 10_000_000);
    const lines = Array.from({ length: 500 }, (_, i) => `{"n":${i}}`);
    await Promise.all(lines.map((l) => spool.append(l))); // group-committed
    expect(spool.hasData()).toBe(true);
    expect(await drainAll(spool)).toEqual(lines);
    expect(spool.hasData()).toBe(false);
    expect((await stat(join(dir, 'events.spool'))).size).toBe(0);
    await spool.close();
  });

  it('survives a restart: undrained lines are still there, drained ones are not replayed', async () => {
    const dir = await newDir();
    const first = await DiskSpool.open(dir, 10_000_000);
    for (let i = 0; i < 3; i++) await first.append(`line-${i}`);
    await first.close();
    const second = await DiskSpool.open(dir, 10_000_000);
    expect(await drainAll(second)).toEqual(['line-0', 'line-1', 'line-2']);
    await second.append('line-3');
    await second.close();
    const third = await DiskSpool.open(dir, 10_000_000);
    expect(await drainAll(third)).toEqual(['line-3']);
    await third.close();
  });

  it('does not advance when the writer fails, so nothing is skipped', async () => {
    const spool = await DiskSpool.open(await newDir(), 10_000_000);
    await spool.append('a');
    await expect(spool.drainChunk(() => Promise.reject(new Error('redis down')))).rejects.toThrow(
      'redis down',
    );
    expect(await drainAll(spool)).toEqual(['a']);
    await spool.close();
  });

  it('cuts a torn last line (a crash mid-write, never acknowledged) on open', async () => {
    const dir = await newDir();
    const spool = await DiskSpool.open(dir, 10_000_000);
    await spool.append('complete');
    await spool.close();
    await appendFile(join(dir, 'events.spool'), '{"torn":');
    const reopened = await DiskSpool.open(dir, 10_000_000);
    await reopened.append('next');
    expect(await drainAll(reopened)).toEqual(['complete', 'next']);
    await reopened.close();
  });

  it('refuses appends past its bound and says it is full until something drains', async () => {
    const dir = await newDir();
    const spool = await DiskSpool.open(dir, 25);
    await spool.append('0123456789'); // 11 bytes with the newline
    await spool.append('0123456789');
    await expect(spool.append('0123456789')).rejects.toBeInstanceOf(SpoolFullError);
    expect(spool.isFull()).toBe(true);
    expect((await readFile(join(dir, 'events.spool'), 'utf8')).split('\n')).toHaveLength(3);
    await drainAll(spool);
    expect(spool.isFull()).toBe(false);
    await spool.append('fits again');
    await spool.close();
  });
});
