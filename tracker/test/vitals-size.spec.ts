import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  buildTrackerBundle,
  buildVitalsTrackerBundle,
  TRACKER_GZIP_BUDGET,
  VITALS_TRACKER_GZIP_BUDGET,
} from '../src/index';

describe('vitals tracker bundle (script.vitals.js)', () => {
  it(`stays within ${VITALS_TRACKER_GZIP_BUDGET} bytes and leaves the base script within its own budget`, async () => {
    const [base, vitals] = await Promise.all([buildTrackerBundle(), buildVitalsTrackerBundle()]);
    console.log(
      `tracker: base ${base.gzipBytes} B gzip (budget ${TRACKER_GZIP_BUDGET}); with vitals ${vitals.gzipBytes} B gzip ` +
        `(budget ${VITALS_TRACKER_GZIP_BUDGET}); the extension adds ${vitals.gzipBytes - base.gzipBytes} B`,
    );
    expect(vitals.gzipBytes).toBe(gzipSync(vitals.code, { level: 9 }).length);
    expect(vitals.gzipBytes).toBeLessThanOrEqual(VITALS_TRACKER_GZIP_BUDGET);
    expect(base.gzipBytes).toBeLessThanOrEqual(TRACKER_GZIP_BUDGET);
    // The base script carries none of the extension.
    expect(base.code).not.toMatch(/PerformanceObserver|\/api\/vitals/);
  });

  it('is one self-contained ES2017 IIFE that uses only browser APIs', async () => {
    const { code } = await buildVitalsTrackerBundle();
    expect(code.startsWith('(()=>{')).toBe(true);
    expect(code.split('\n').filter(Boolean)).toHaveLength(1);
    expect(code).not.toMatch(/\brequire\(|\bimport\b|sourceMappingURL/);
    expect(code).not.toMatch(/\?\.[a-zA-Z_$(]|\?\?/);
    expect(code).not.toContain('cookie');
    expect(code).not.toMatch(/setItem|sessionStorage/);
    for (const type of [
      'largest-contentful-paint',
      'layout-shift',
      'first-contentful-paint',
      'navigation',
      'event',
    ])
      expect(code).toContain(`"${type}"`);
  });
});
