// The query bench's concurrent part: the dashboard's whole request set sent at once, repeated.
// Prints one line per request kind and the final `dashboard:` line. Pure formatting.
import { percentile } from './query-report';

export interface ConcurrentFigures {
  rounds: number;
  /** The baseline count() scan of the same site and range, one at a time (ms per run). */
  baselineMs: number[];
  cases: { label: string; timingsMs: number[] }[];
  /** Wall time of each round: the page is complete when its slowest request is. */
  roundMs: number[];
}

const ms = (n: number) => (Number.isFinite(n) ? String(Math.round(n)) : '-');

export function printConcurrentReport(f: ConcurrentFigures): void {
  const width = Math.max(...f.cases.map((c) => c.label.length));
  const lines = ['', `concurrent dashboard: ${f.rounds} rounds, every request of a round sent at once`];
  for (const c of f.cases)
    lines.push(
      `  ${c.label.padEnd(width)}   p50 ${ms(percentile(c.timingsMs, 50)).padStart(6)} ms   p95 ${ms(
        percentile(c.timingsMs, 95),
      ).padStart(6)} ms   max ${ms(Math.max(...c.timingsMs)).padStart(6)} ms`,
    );
  const all = f.cases.flatMap((c) => c.timingsMs);
  const baseline = percentile(f.baselineMs, 50);
  const p95 = percentile(all, 95);
  lines.push(
    `  whole page (slowest request of a round): p50 ${ms(percentile(f.roundMs, 50))} ms, max ${ms(Math.max(...f.roundMs))} ms`,
  );
  lines.push(`  baseline count() scan of the same rows (one at a time, p50): ${baseline.toFixed(1)} ms`);
  lines.push(
    `dashboard: p95 ${ms(p95)} ms, max ${ms(Math.max(...all))} ms (${(p95 / baseline).toFixed(1)}× a count() scan of the same rows)`,
  );
  console.log(lines.join('\n'));
}
