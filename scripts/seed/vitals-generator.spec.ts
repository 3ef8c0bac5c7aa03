import { describe, expect, it } from 'vitest';
import { VITAL_THRESHOLDS, vitalBand } from '@sightline/query';
import { generateTraffic } from './traffic-generator';
import { generateVitals } from './vitals-generator';

const END = new Date('2026-11-22T00:00:00Z');
const hits = generateTraffic({ domain: 'demo.test', end: END, days: 30, seed: 7 });
const vitals = generateVitals(hits, END);

describe('generateVitals (demo seed)', () => {
  it('is deterministic and covers about three in four pageviews', () => {
    expect(generateVitals(hits, END)).toEqual(vitals);
    const pageviews = hits.filter((h) => h.name === 'pageview').length;
    expect(vitals.length / pageviews).toBeGreaterThan(0.65);
    expect(vitals.length / pageviews).toBeLessThan(0.85);
  });

  it('fills every band of every metric, within the ingest limits', () => {
    for (const metric of ['lcp', 'inp', 'cls', 'fcp', 'ttfb'] as const) {
      const measured = vitals.map((v) => v[metric]).filter((v) => v >= 0);
      expect(measured.length, metric).toBeGreaterThan(100);
      const bands = new Set(measured.map((v) => vitalBand(metric, v)));
      expect([...bands].sort(), metric).toEqual(['good', 'needs_improvement', 'poor']);
      expect(Math.max(...measured), metric).toBeLessThanOrEqual(metric === 'cls' ? 100 : 3_600_000);
      expect(VITAL_THRESHOLDS[metric]).toBeDefined();
    }
  });

  it('gives Safari only FCP and TTFB, and the blog its layout shifts', () => {
    const safari = vitals.filter((v) => /Version\/[\d.]+ (Mobile\/\S+ )?Safari/.test(v.hit.userAgent));
    expect(safari.length).toBeGreaterThan(0);
    for (const v of safari) expect([v.lcp, v.inp, v.cls]).toEqual([-1, -1, -1]);
    const shiftShare = (prefix: string) => {
      const rows = vitals.filter((v) => v.cls >= 0 && new URL(v.hit.url).pathname.startsWith(prefix));
      return rows.filter((v) => v.cls > 0).length / rows.length;
    };
    expect(shiftShare('/blog')).toBeGreaterThan(shiftShare('/docs') * 2);
  });
});
