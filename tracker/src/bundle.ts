import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** Maximum size of the minified tracker after gzip -9, in bytes. */
export const TRACKER_GZIP_BUDGET = 1000;

/** The same for script.engagement.js, the opt-in variant with engagement pings. */
export const TRACKER_ENGAGEMENT_GZIP_BUDGET = 1200;

/** The browser entry point that buildTrackerBundle compiles. */
export const TRACKER_ENTRY = fileURLToPath(new URL('./script.ts', import.meta.url));

/** Where `npm run build` (build.mjs) writes the script; ingest serves it at GET /js/script.js. */
export const TRACKER_DIST_FILE = fileURLToPath(new URL('../dist/script.js', import.meta.url));

/**
 * `base` is script.js, within the budget. `engagement` (script.engagement.js) adds the engagement
 * ping (scroll depth and visible time when a page is hidden or left); it does not fit the base
 * budget (about 190 bytes more), so sites opt in by loading that file instead.
 */
export type TrackerVariant = 'base' | 'engagement';

/** The file name of a variant, next to TRACKER_DIST_FILE and under /js/ on ingest. */
export function trackerFileName(variant: TrackerVariant): string {
  return variant === 'base' ? 'script.js' : `script.${variant}.js`;
}

export interface TrackerBundle {
  /** Minified script, ready to serve as application/javascript. */
  code: string;
  minifiedBytes: number;
  /** Size after gzip level 9, the figure the budget applies to. */
  gzipBytes: number;
}

/** Builds a variant of the tracking script in memory: esbuild, minified, ES2017, IIFE, no source map. */
export async function buildTrackerBundle(variant: TrackerVariant = 'base'): Promise<TrackerBundle> {
  const result = await build({
    entryPoints: [TRACKER_ENTRY],
    bundle: true,
    write: false,
    minify: true,
    target: 'es2017',
    format: 'iife',
    platform: 'browser',
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'silent',
    define: { ENGAGEMENT: String(variant === 'engagement') },
    // Our tsconfig's `strict` would make esbuild add a "use strict" prologue the script does not need.
    tsconfigRaw: { compilerOptions: { alwaysStrict: false } },
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no output for the tracker');
  const code = output.text;
  return {
    code,
    minifiedBytes: Buffer.byteLength(code),
    gzipBytes: gzipSync(code, { level: 9 }).length,
  };
}
