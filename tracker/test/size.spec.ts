import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  buildTrackerBundle,
  TRACKER_ENGAGEMENT_GZIP_BUDGET,
  TRACKER_GZIP_BUDGET,
  TRACKER_GZIP_BUDGETS,
  TRACKER_VARIANTS,
  trackerFileName,
} from '../src/index';

describe('tracker bundle size', () => {
  it(`stays within ${TRACKER_GZIP_BUDGET} bytes after minify + gzip -9`, async () => {
    const { code, minifiedBytes, gzipBytes } = await buildTrackerBundle();
    console.log(
      `tracker: ${minifiedBytes} bytes minified, ${gzipBytes} bytes gzip -9 (budget ${TRACKER_GZIP_BUDGET})`,
    );

    // The reported figures are the real ones for the returned code.
    expect(minifiedBytes).toBe(Buffer.byteLength(code));
    expect(gzipBytes).toBe(gzipSync(code, { level: 9 }).length);
    expect(gunzipSync(gzipSync(code, { level: 9 })).toString()).toBe(code);

    expect(gzipBytes).toBeLessThanOrEqual(TRACKER_GZIP_BUDGET);
  });

  it(`keeps script.engagement.js within ${TRACKER_ENGAGEMENT_GZIP_BUDGET} bytes, and its code out of script.js`, async () => {
    const base = await buildTrackerBundle();
    const engagement = await buildTrackerBundle('engagement');
    console.log(
      `tracker script.engagement.js: ${engagement.minifiedBytes} bytes minified, ${engagement.gzipBytes} bytes gzip -9 (budget ${TRACKER_ENGAGEMENT_GZIP_BUDGET})`,
    );
    expect(engagement.gzipBytes).toBeLessThanOrEqual(TRACKER_ENGAGEMENT_GZIP_BUDGET);
    expect(engagement.code).toContain('"engagement"');
    expect(engagement.code).toContain('visibilitychange');
    expect(base.code).not.toContain('engagement');
    expect(base.code).not.toContain('visibilitychange');
  });

  it.each(TRACKER_VARIANTS)(
    'builds %s within its budget, with exactly the extensions its name lists',
    async (variant) => {
      const { code, gzipBytes, minifiedBytes } = await buildTrackerBundle(variant);
      const budget = TRACKER_GZIP_BUDGETS[variant];
      console.log(
        `tracker ${trackerFileName(variant)}: ${minifiedBytes} bytes minified, ${gzipBytes} bytes gzip -9 (budget ${budget})`,
      );
      expect(gzipBytes).toBeLessThanOrEqual(budget);
      const extensions = variant === 'base' ? [] : variant.split('.');
      // engagement: the ping and its visibility listener; vitals: the observers and their route.
      expect(code.includes('"engagement"')).toBe(extensions.includes('engagement'));
      expect(/PerformanceObserver/.test(code)).toBe(extensions.includes('vitals'));
      expect(code.includes('/api/vitals')).toBe(extensions.includes('vitals'));
    },
  );

  it.each(TRACKER_VARIANTS)('is a minified, self-contained ES2017 IIFE (%s)', async (variant) => {
    const { code } = await buildTrackerBundle(variant);
    expect(code.startsWith('(()=>{')).toBe(true);
    expect(code).not.toMatch(/\brequire\(|\bimport\b|sourceMappingURL/);
    // No ES2018+ syntax that would break older browsers (object spread, optional chaining, ??).
    expect(code).not.toMatch(/\?\.[a-zA-Z_$(]|\?\?/);
    // Never touches cookies; storage is only read for the opt-out flag.
    expect(code).not.toContain('cookie');
    expect(code).not.toMatch(/setItem|sessionStorage/);
    expect(code.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
