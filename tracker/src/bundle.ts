import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * Opt-in extensions of the tracker, named in the file name as Plausible names its own
 * (`script.outbound-links.file-downloads.js`): `script.engagement.js`, `script.vitals.js`, and
 * both at once, `script.engagement.vitals.js` (in any order, like Plausible).
 *
 * - `engagement`: an `engagement` ping (scroll depth, visible time) when a page is hidden or left.
 * - `vitals`: LCP, INP, CLS, FCP and TTFB of every page load, to /api/vitals.
 */
export const TRACKER_EXTENSIONS = ['engagement', 'vitals'] as const;
export type TrackerExtension = (typeof TRACKER_EXTENSIONS)[number];

/**
 * A build of the tracker: `base` is script.js, within its 1,000-byte budget; the others carry
 * their extensions (canonical order, joined by dots) and are what a site opts into.
 */
export type TrackerVariant = 'base' | 'engagement' | 'vitals' | 'engagement.vitals';
export const TRACKER_VARIANTS: readonly TrackerVariant[] = [
  'base',
  'engagement',
  'vitals',
  'engagement.vitals',
];

/** Maximum size of each build after minify + gzip -9, in bytes (test/size.spec.ts). */
export const TRACKER_GZIP_BUDGETS: Readonly<Record<TrackerVariant, number>> = {
  base: 1000,
  engagement: 1200,
  vitals: 2000,
  'engagement.vitals': 2000,
};
/** The base script's budget (script.js). */
export const TRACKER_GZIP_BUDGET = TRACKER_GZIP_BUDGETS.base;
/** script.engagement.js's budget. */
export const TRACKER_ENGAGEMENT_GZIP_BUDGET = TRACKER_GZIP_BUDGETS.engagement;
/** script.vitals.js's budget: the base script keeps its own; sites that do not opt in never load the extension. */
export const VITALS_TRACKER_GZIP_BUDGET = TRACKER_GZIP_BUDGETS.vitals;

const SRC = fileURLToPath(new URL('.', import.meta.url));

/** The browser entry point of the base script. */
export const TRACKER_ENTRY = fileURLToPath(new URL('./script.ts', import.meta.url));

/** Where `npm run build` (build.mjs) writes the base script; the variants go beside it. */
export const TRACKER_DIST_FILE = fileURLToPath(new URL('../dist/script.js', import.meta.url));

function extensionsOf(variant: TrackerVariant): TrackerExtension[] {
  return variant === 'base' ? [] : (variant.split('.') as TrackerExtension[]);
}

/** The file name of a variant (its canonical one), next to TRACKER_DIST_FILE and under /js/ on ingest. */
export function trackerFileName(variant: TrackerVariant): string {
  return variant === 'base' ? 'script.js' : `script.${variant}.js`;
}

/**
 * Every name a variant answers to under /js/: its extensions in any order
 * (`script.vitals.engagement.js` is `script.engagement.vitals.js`), as Plausible accepts them.
 */
export function trackerFileNames(variant: TrackerVariant): string[] {
  const permutations = (items: string[]): string[][] =>
    items.length <= 1
      ? [items]
      : items.flatMap((item, i) =>
          permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
        );
  return permutations(extensionsOf(variant)).map((exts) =>
    exts.length === 0 ? 'script.js' : `script.${exts.join('.')}.js`,
  );
}

/** The variant a file name asks for (`script.vitals.engagement.js` → `engagement.vitals`), or null. */
export function trackerVariantOf(fileName: string): TrackerVariant | null {
  return TRACKER_VARIANTS.find((v) => trackerFileNames(v).includes(fileName)) ?? null;
}

export interface TrackerBundle {
  /** Minified script, ready to serve as application/javascript. */
  code: string;
  minifiedBytes: number;
  /** Size after gzip level 9, the figure the budget applies to. */
  gzipBytes: number;
}

/**
 * Builds a variant of the tracking script in memory: esbuild, minified, ES2017, IIFE, no source
 * map. One file per variant: the base script (engagement compiled in or out through the
 * ENGAGEMENT constant, so script.js carries none of it), then the vitals extension if asked for.
 */
export async function buildTrackerBundle(variant: TrackerVariant = 'base'): Promise<TrackerBundle> {
  const extensions = extensionsOf(variant);
  const result = await build({
    stdin: {
      contents: ["import './script';", ...(extensions.includes('vitals') ? ["import './vitals';"] : [])].join(
        '\n',
      ),
      resolveDir: SRC,
      loader: 'ts',
      sourcefile: `${trackerFileName(variant)}.entry.ts`,
    },
    bundle: true,
    write: false,
    minify: true,
    target: 'es2017',
    format: 'iife',
    platform: 'browser',
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'silent',
    define: { ENGAGEMENT: String(extensions.includes('engagement')) },
    // Our tsconfig's `strict` would make esbuild add a "use strict" prologue the script does not need.
    tsconfigRaw: { compilerOptions: { alwaysStrict: false } },
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error(`esbuild produced no output for ${trackerFileName(variant)}`);
  const code = output.text;
  return {
    code,
    minifiedBytes: Buffer.byteLength(code),
    gzipBytes: gzipSync(code, { level: 9 }).length,
  };
}

/** script.vitals.js (kept for callers of the vitals branch's API). */
export function buildVitalsTrackerBundle(): Promise<TrackerBundle> {
  return buildTrackerBundle('vitals');
}
