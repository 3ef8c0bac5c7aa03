// Web vitals for the demo site's synthetic pageviews: realistic, deterministic distributions, so
// the Performance panel shows every band, a trend and a slowest-pages list after `npm start`.
import { VITAL_NOT_MEASURED } from '@sightline/events';
import { mulberry32 } from './seeded-random';
import type { SyntheticHit } from './traffic-generator';

/** One page load's measurements (-1 = not reported), before enrichment. */
export interface SyntheticVitals {
  hit: SyntheticHit;
  lcp: number;
  inp: number;
  cls: number;
  fcp: number;
  ttfb: number;
}

/** Typical p50 LCP (ms) on desktop per section; images on the blog and the app's bundle are slow. */
function lcpMedian(path: string, improved: boolean): number {
  if (path.startsWith('/app')) return 2600;
  if (path.startsWith('/blog')) return improved ? 1900 : 2700; // an image fix shipped mid-period
  if (path === '/') return 1700;
  if (path.startsWith('/docs')) return 1150;
  return 1350;
}

/**
 * Draws vitals for about three in four pageviews (the rest leave before page hide or block the
 * beacon). Log-normal durations; mobile slower than desktop; Safari reports only FCP and TTFB
 * (no LCP, INP or layout-shift APIs); INP only when the visitor interacted; CLS mostly 0 except on
 * the blog, whose late images shift the text.
 */
export function generateVitals(hits: readonly SyntheticHit[], end: Date, seed = 20261206): SyntheticVitals[] {
  const random = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const logNormal = (median: number, sigma: number) => median * Math.exp(sigma * normal());
  const fixDay = end.getTime() - 20 * 86_400_000;
  const out: SyntheticVitals[] = [];
  for (const hit of hits) {
    if (hit.name !== 'pageview' || random() > 0.75) continue;
    const path = new URL(hit.url).pathname;
    const ua = hit.userAgent;
    const mobile = /Mobile|Android|iPhone/.test(ua);
    const tablet = /iPad|Tablet/.test(ua);
    const safari = /Safari/.test(ua) && !/Chrome|Chromium|Edg|Firefox|FxiOS|CriOS/.test(ua);
    const slowdown = mobile ? 1.55 : tablet ? 1.25 : 1;
    const ttfb = Math.round(logNormal(path.startsWith('/app') ? 420 : 230, 0.55) * (mobile ? 1.3 : 1));
    const lcp = Math.max(
      ttfb + 80,
      Math.round(logNormal(lcpMedian(path, hit.timestamp.getTime() >= fixDay), 0.42) * slowdown),
    );
    const fcp = Math.max(ttfb + 40, Math.round(lcp * (0.45 + 0.4 * random())));
    const interacted = random() < 0.55;
    const inp = Math.round(logNormal(path.startsWith('/app') ? 190 : 95, 0.6) * (mobile ? 1.7 : 1));
    const shifts = path.startsWith('/blog') ? random() < 0.75 : random() < 0.15;
    const cls = shifts
      ? Math.min(3, Math.round(logNormal(path.startsWith('/blog') ? 0.11 : 0.03, 0.8) * 10_000) / 10_000)
      : 0;
    out.push({
      hit,
      lcp: safari ? VITAL_NOT_MEASURED : Math.min(lcp, 3_600_000),
      inp: safari || !interacted ? VITAL_NOT_MEASURED : Math.min(inp, 3_600_000),
      cls: safari ? VITAL_NOT_MEASURED : cls,
      fcp: Math.min(fcp, 3_600_000),
      ttfb,
    });
  }
  return out;
}
