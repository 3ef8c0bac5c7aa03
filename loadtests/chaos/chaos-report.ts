// From the sender's ledger and what ClickHouse holds to the counts that matter: an acknowledged
// event missing from ClickHouse is a broken promise (lost); anything else is reported, not failed.
import type { SeqRecord } from './event-sender';
import { seconds, type FaultRecord } from './fault-schedule';
import type { UnexpectedExit } from './ingest-services';

export interface ChaosCounts {
  /** Distinct events attempted. */
  sent: number;
  /** Distinct events that got a 202 at least once. */
  acknowledged: number;
  /** Distinct events in ClickHouse. */
  stored: number;
  /** Acknowledged events missing from ClickHouse. */
  lost: number;
  /** Rows beyond the first per event. */
  duplicates: number;
}

export interface ChaosFindings extends ChaosCounts {
  /** The first lost seqs with when they were acknowledged (ms since the load started). */
  lostSamples: { seq: number; ackedAtMs: number }[];
  /** Stored although no attempt got a 202 (the response was lost, or a 5xx came after storing). */
  storedUnacknowledged: number;
  /** Duplicate rows of events whose sender retried after a lost response: expected of at-least-once clients. */
  duplicatesAfterLostResponse: number;
  /** Seqs found in ClickHouse that were never sent: should be impossible. */
  strangers: number;
  /** Events that needed more than one attempt, and how many extra attempts that took. */
  retried: number;
  retryAttempts: number;
  /** Never acknowledged within the attempt and time bounds (not lost: no promise was made). */
  gaveUp: number;
  /** Answered with a 4xx other than 429: this script sent something invalid. */
  rejected: number;
}

export interface ChaosResult extends ChaosFindings {
  seed: number;
  faults: FaultRecord[];
  unexpectedExits: UnexpectedExit[];
  /** Responses by kind: "202", "503", "refused", "reset", "timeout", … */
  responses: Record<string, number>;
  rowsInClickHouse: number;
  /** Highest spool bytes waiting and stream backlog seen during the load (sampled twice a second). */
  peaks: { spoolBytes: number; streamBacklog: number };
  drained: boolean;
  /** What was still waiting when the drain gave up (empty when drained). */
  drainState: string;
  timings: { setupMs: number; loadMs: number; retryTailMs: number; drainMs: number };
}

export function computeFindings(
  ledger: ReadonlyMap<number, SeqRecord>,
  storedRows: readonly { seq: number; count: number }[],
): ChaosFindings {
  const storedCount = new Map<number, number>();
  for (const row of storedRows) storedCount.set(row.seq, (storedCount.get(row.seq) ?? 0) + row.count);

  let acknowledged = 0;
  let lost = 0;
  let storedUnacknowledged = 0;
  let duplicatesAfterLostResponse = 0;
  let retried = 0;
  let retryAttempts = 0;
  let gaveUp = 0;
  let rejected = 0;
  const lostSamples: { seq: number; ackedAtMs: number }[] = [];
  for (const [seq, rec] of ledger) {
    const copies = storedCount.get(seq) ?? 0;
    if (rec.attempts > 1) {
      retried += 1;
      retryAttempts += rec.attempts - 1;
    }
    if (rec.rejectedStatus !== null) rejected += 1;
    if (rec.ackedAtMs !== null) {
      acknowledged += 1;
      if (copies === 0) {
        lost += 1;
        if (lostSamples.length < 20) lostSamples.push({ seq, ackedAtMs: rec.ackedAtMs });
      }
    } else {
      if (rec.rejectedStatus === null) gaveUp += 1;
      if (copies > 0) storedUnacknowledged += 1;
    }
    // Each attempt with an unknown fate may have been stored once more than the client knows.
    if (copies > 1 && rec.ambiguous > 0) duplicatesAfterLostResponse += Math.min(copies - 1, rec.ambiguous);
  }

  let duplicates = 0;
  let strangers = 0;
  for (const [seq, copies] of storedCount) {
    duplicates += copies - 1;
    if (!ledger.has(seq)) strangers += 1;
  }
  return {
    sent: ledger.size,
    acknowledged,
    stored: storedCount.size,
    lost,
    duplicates,
    lostSamples,
    storedUnacknowledged,
    duplicatesAfterLostResponse,
    strangers,
    retried,
    retryAttempts,
    gaveUp,
    rejected,
  };
}

/** The one line a person or a CI log looks for. */
export function formatSummary(c: ChaosCounts): string {
  return `sent ${c.sent}, acknowledged ${c.acknowledged}, stored ${c.stored}, lost ${c.lost}, duplicates ${c.duplicates}`;
}

/** The short report printed before the summary line. */
export function formatReport(r: ChaosResult): string[] {
  const lines: string[] = [];
  const t = (ms: number) => `+${(ms / 1000).toFixed(1)} s`.padStart(9);
  lines.push('faults (time since the load started):');
  if (r.faults.length === 0) lines.push('  none');
  for (const f of r.faults) lines.push(`  ${t(f.atMs)}  ${f.kind.padEnd(15)} ${f.detail}`);
  for (const e of r.unexpectedExits)
    lines.push(
      `  ${t(e.atMs)}  ${'crash'.padEnd(15)} ${e.role} #${e.generation} exited on its own (${e.how})`,
    );
  const { setupMs, loadMs, retryTailMs, drainMs } = r.timings;
  lines.push(
    `timings: set-up ${seconds(setupMs)}, load ${seconds(loadMs)}, retries settled ${seconds(retryTailMs)} after the load, ` +
      `drain ${seconds(drainMs)}${r.drained ? '' : ` (gave up: ${r.drainState})`}`,
  );
  const responses = Object.entries(r.responses)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, n]) => `${kind} × ${n}`)
    .join(', ');
  lines.push(`responses: ${responses || 'none'}`);
  lines.push(
    `peaks: ${(r.peaks.spoolBytes / 1024).toFixed(0)} KiB waiting in the receiver's disk spool, ` +
      `${r.peaks.streamBacklog} events in the stream backlog`,
  );
  lines.push(
    `retried: ${r.retried} events (${r.retryAttempts} extra attempts); never acknowledged: ${r.gaveUp}; rejected with 4xx: ${r.rejected}`,
  );
  lines.push(
    `clickhouse: ${r.rowsInClickHouse} rows; stored without a 202: ${r.storedUnacknowledged}; ` +
      `duplicates explained by a client retry after a lost response: ${r.duplicatesAfterLostResponse}, ` +
      `other duplicates: ${r.duplicates - r.duplicatesAfterLostResponse}` +
      (r.strangers > 0 ? `; rows with a seq never sent: ${r.strangers}` : ''),
  );
  if (r.lost > 0) {
    lines.push(`LOST acknowledged events (first ${r.lostSamples.length}), with the faults around their 202:`);
    for (const s of r.lostSamples) {
      const near = r.faults
        .filter((f) => s.ackedAtMs >= f.atMs - 2000 && s.ackedAtMs <= (f.backAtMs ?? f.atMs) + 2000)
        .map((f) => `${f.kind} at ${t(f.atMs).trim()}`);
      lines.push(
        `  seq ${s.seq} acknowledged at ${t(s.ackedAtMs).trim()}${near.length ? ` (${near.join(', ')})` : ''}`,
      );
    }
  }
  lines.push(`seed: ${r.seed} (repeat the kill moments with --seed=${r.seed})`);
  return lines;
}
