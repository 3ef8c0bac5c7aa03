// What the bench watches while the load runs: process memory and CPU from /proc, Prometheus
// gauges from the services' internal ports, and the row count in ClickHouse.
import { readdir, readFile } from 'node:fs/promises';
import { createConnection } from 'node:net';

export interface Sample {
  /** ms since the epoch */
  at: number;
  value: number;
}

/**
 * Calls `read` every `intervalMs` (never overlapping: a slow read delays the next one rather
 * than piling up) and keeps what it returns; `null` (a failed read) is skipped.
 */
export function startSampling(intervalMs: number, read: () => Promise<number | null>) {
  const samples: Sample[] = [];
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    const value = await read().catch(() => null);
    if (value !== null) samples.push({ at: Date.now(), value });
    if (!stopped) timer = setTimeout(tick, intervalMs);
  };
  void tick();
  return {
    samples,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** A `Vm*` line of /proc/<pid>/status in bytes (VmRSS now, VmHWM peak so far); null once gone. */
export async function procStatusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}

/** A process and its descendants (a node:cluster primary and its workers), from /proc's parent ids. */
export async function processTree(pid: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++)
    for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  return tree;
}

/** CPU seconds of a group of processes together (see processTree); null when the first is gone. */
export async function groupCpuSeconds(pids: readonly number[]): Promise<number | null> {
  const seconds = await Promise.all(pids.map(procCpuSeconds));
  if (seconds[0] === null || seconds[0] === undefined) return null;
  return seconds.reduce<number>((sum, s) => sum + (s ?? 0), 0);
}

/** The largest `Vm*` figure in a group of processes: the memory one process of it needs. */
export async function groupMaxStatusBytes(
  pids: readonly number[],
  field: 'VmRSS' | 'VmHWM',
): Promise<number | null> {
  const values = (await Promise.all(pids.map((p) => procStatusBytes(p, field)))).filter(
    (v): v is number => v !== null,
  );
  return values.length ? Math.max(...values) : null;
}

/** User + system CPU seconds a process has used (Linux reports them in USER_HZ = 100 ticks/s). */
export async function procCpuSeconds(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; fields are counted after its closing ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Every series of one metric in a Prometheus text exposition, by its label set ('' when none). */
export async function prometheusSeries(
  metricsUrl: string,
  name: string,
): Promise<Map<string, number> | null> {
  const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(2_000) });
  if (!res.ok) return null;
  const text = await res.text();
  // A labelled counter has no series until its first increment, yet its TYPE line is there: that is 0.
  if (!text.includes(`# TYPE ${name} `)) return null;
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue; // a longer name with the same prefix
    const labels = rest[0] === '{' ? rest.slice(1, rest.indexOf('}')) : '';
    const value = Number(rest.slice(rest.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) series.set(labels, value);
  }
  return series;
}

/** Sum over all series of one metric; null when the service does not export it. */
export async function prometheusValue(metricsUrl: string, name: string): Promise<number | null> {
  const series = await prometheusSeries(metricsUrl, name);
  return series === null ? null : [...series.values()].reduce((sum, v) => sum + v, 0);
}

/** `SELECT count() FROM events` over ClickHouse's HTTP interface (loopback, bench database). */
export async function clickHouseEventCount(clickhouseUrl: string, database: string): Promise<number> {
  const url = new URL('/', clickhouseUrl);
  url.searchParams.set('database', database);
  const res = await fetch(url, {
    method: 'POST',
    body: 'SELECT count() FROM events FORMAT TabSeparated',
    signal: AbortSignal.timeout(5_000),
  });
  const text = (await res.text()).trim();
  if (!res.ok) throw new Error(`ClickHouse count failed (${res.status}): ${text.split('\n')[0]}`);
  return Number(text);
}

/** Calls per command since Redis started (`INFO commandstats`), spoken as raw RESP over loopback. */
export function redisCommandCalls(port: number): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(2_000, () => socket.destroy(new Error('redis INFO timed out')));
    socket.on('error', reject);
    socket.on('connect', () => socket.write('*2\r\n$4\r\nINFO\r\n$12\r\ncommandstats\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      const header = /^\$(\d+)\r\n/.exec(reply);
      if (!header?.[1] || Buffer.byteLength(reply) < header[0].length + Number(header[1])) return;
      socket.end();
      const calls = new Map<string, number>();
      for (const match of reply.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm))
        if (match[1] && match[2]) calls.set(match[1], Number(match[2]));
      resolve(calls);
    });
  });
}
