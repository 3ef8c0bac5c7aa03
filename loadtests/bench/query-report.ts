// Turns the query bench's timings into the printed report. Pure arithmetic and formatting; no I/O
// besides console.log.
import type { RowsRead } from './query-rows-read';

export interface CaseResult {
  label: string;
  /** Wall time of each measured run (warm-up excluded), ms. */
  timingsMs: number[];
  /** What the last run returned, as a sanity check that the query did real work. */
  result: string;
  /** SQL statements the request sent (from the rows-read run). */
  statements: number;
  rowsRead: RowsRead;
}

export interface SiteFigures {
  domain: string;
  siteId: number;
  /** All of the site's rows in the table. */
  events: number;
  baseline: CaseResult;
  cases: CaseResult[];
}

export interface QueryBenchFigures {
  runs: number;
  clickhouseVersion: string;
  cpus: string;
  timezone: string;
  dateRange: string;
  /** The range the engine resolved, as printed instants. */
  range: { from: Date; to: Date };
  now: Date;
  seed: { events: number; ms: number; how: string };
  mergeWaitMs: number;
  activeParts: number | null;
  tableRows: number;
  sites: SiteFigures[];
}

/** Nearest-rank percentile (with 10 runs, p95 is the slowest run). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? NaN;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 2 : 1) : '-');

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length))) ?? [];
  // First and last columns are text (left-aligned), the figures between them right-aligned.
  const last = (rows[0]?.length ?? 1) - 1;
  return rows
    .map((row) =>
      row
        .map((cell, col) =>
          col === 0 || col === last ? cell.padEnd(widths[col] ?? 0) : cell.padStart(widths[col] ?? 0),
        )
        .join('   ')
        .trimEnd(),
    )
    .join('\n');
}

function siteTable(site: SiteFigures): string {
  const baselineP50 = percentile(site.baseline.timingsMs, 50);
  const row = (c: CaseResult): string[] => {
    const p50 = percentile(c.timingsMs, 50);
    return [
      c.label,
      ms(p50),
      ms(percentile(c.timingsMs, 95)),
      ms(Math.max(...c.timingsMs)),
      `${(p50 / baselineP50).toFixed(1)}×`,
      c.rowsRead.rows === null ? '-' : int(c.rowsRead.rows),
      c.rowsRead.rows === null || c.rowsRead.cpuMs === null ? '-' : ms(c.rowsRead.cpuMs),
      String(c.statements),
      c.result,
    ];
  };
  return table([
    ['query', 'p50 ms', 'p95 ms', 'max ms', 'p50 / baseline', 'rows read', 'CH CPU ms', 'stmts', 'result'],
    row(site.baseline),
    ...site.cases.map(row),
  ]);
}

/** ClickHouse CPU of the whole request set of a site, and as a multiple of its baseline scan's. */
function cpuLine(site: SiteFigures): string | null {
  const cpu = (c: CaseResult): number | null => (c.rowsRead.rows === null ? null : c.rowsRead.cpuMs);
  const base = cpu(site.baseline);
  const all = site.cases.map(cpu);
  if (base === null || all.some((v) => v === null)) return null;
  const sum = all.reduce<number>((a, v) => a + (v ?? 0), 0);
  return `ClickHouse CPU for the ${site.cases.length} requests together: ${ms(sum)} ms (${(sum / Math.max(base, 0.001)).toFixed(1)}× the baseline scan's ${ms(base)} ms)`;
}

export function printQueryReport(f: QueryBenchFigures): void {
  const lines: string[] = [];
  const [big, ...others] = f.sites;
  lines.push('');
  lines.push(
    `Sightline query bench — ClickHouse ${f.clickhouseVersion}, ${f.cpus}, ${f.runs} runs per query after 1 warm-up, round-robin`,
  );
  lines.push(
    `seed: ${int(f.seed.events)} events in ${(f.seed.ms / 1000).toFixed(1)} s = ${int(
      (f.seed.events / f.seed.ms) * 1000,
    )} events/s (${f.seed.how}); then ${(f.mergeWaitMs / 1000).toFixed(1)} s until background merges settled`,
  );
  lines.push(
    `events table: ${int(f.tableRows)} rows in ${f.activeParts ?? '-'} active parts; ` +
      f.sites.map((s) => `site #${s.siteId} ${s.domain}: ${int(s.events)}`).join(', '),
  );
  lines.push(
    `date_range "${f.dateRange}" in ${f.timezone} at now=${f.now.toISOString()}: ` +
      `[${f.range.from.toISOString()}, ${f.range.to.toISOString()})`,
  );
  if (big) {
    lines.push('');
    lines.push(`site #${big.siteId} ${big.domain} (${int(big.events)} events)`);
    lines.push(siteTable(big));
    const cpu = cpuLine(big);
    if (cpu) lines.push(cpu);
  }
  for (const site of others) {
    lines.push('');
    lines.push(`site #${site.siteId} ${site.domain} (${int(site.events)} events, same table) — site scoping`);
    lines.push(siteTable(site));
  }
  lines.push('');
  lines.push(
    'p50/p95/max: nearest rank over the measured runs, wall time of QueryEngine.run / currentVisitors ' +
      '(or the baseline SELECT) through the same @clickhouse/client, JSON parsing included.',
  );
  lines.push(
    'p50 / baseline: this query p50 over the p50 of `SELECT count() FROM events WHERE site_id = <site> AND ' +
      'timestamp >= <from> AND timestamp < <to>` for the same site and range (realtime reads only 5 minutes).',
  );
  lines.push(
    'rows read / stmts: sum of system.query_log read_rows over the SQL statements of one extra, un-timed run ' +
      '(18.16 sends no X-ClickHouse-Summary); MergeTree reads whole granules (8,192 rows; 1,024 in sessions).',
  );
  lines.push(
    'CH CPU ms: UserTimeMicroseconds of the same statements in system.query_log: what the request costs the ' +
      'server, comparable across runs while other work loads the machine (wall times are not).',
  );
  const missing = f.sites.flatMap((s) =>
    [s.baseline, ...s.cases].flatMap((c) =>
      c.rowsRead.rows === null ? [`${s.domain} ${c.label.split(':')[0] ?? ''}: ${c.rowsRead.reason}`] : [],
    ),
  );
  if (missing.length > 0) lines.push(`rows read not available for ${missing.join('; ')}`);
  lines.push('');
  console.log(lines.join('\n'));
}
