import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@sightline/harness';
import { defaultOptions } from './chaos-options';
import { runChaos } from './run-chaos';

/**
 * The chaos script's checks, shorter: steady load while Redis and ClickHouse are stopped and
 * started and the receiver and flusher are killed with -9, then every acknowledged event counted.
 */
describe('ingest under chaos (short)', () => {
  it('stores every acknowledged event exactly once', { timeout: 240_000 }, async () => {
    const lines: string[] = [];
    const result = await runChaos({
      ...defaultOptions(REPO_ROOT, 'short'),
      log: (l) => lines.push(l),
    });
    const summary = `sent ${result.sent}, acknowledged ${result.acknowledged}, stored ${result.stored}, lost ${result.lost}, duplicates ${result.duplicates}`;
    console.log(`seed ${result.seed}: ${summary}`);
    expect(result.drained, lines.slice(-15).join('\n')).toBe(true);
    expect(result.acknowledged).toBeGreaterThan(0);
    expect(result.lost).toBe(0);
    expect(result.faults.length).toBeGreaterThanOrEqual(6);
    // A client that retries after losing a response sends a new event; anything else is a bug.
    expect(result.duplicates - result.duplicatesAfterLostResponse).toBe(0);
    expect(result.strangers).toBe(0);
  });
});
