import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { TrackerBundle } from './bundle';

/**
 * Budget of /js/script.vitals.js (base tracker + vitals extension) after minify + gzip -9. The base
 * script keeps its own 1,000-byte budget; sites that do not opt in never load the extension.
 */
export const VITALS_TRACKER_GZIP_BUDGET = 2000;

export const VITALS_TRACKER_ENTRY = fileURLToPath(new URL('./script-vitals.ts', import.meta.url));

/** Where `npm run build` writes it; ingest serves it at GET /js/script.vitals.js. */
export const VITALS_TRACKER_DIST_FILE = fileURLToPath(new URL('../dist/script.vitals.js', import.meta.url));

/** Builds script.vitals.js in memory with the same esbuild settings as the base script. */
export async function buildVitalsTrackerBundle(): Promise<TrackerBundle> {
  const result = await build({
    entryPoints: [VITALS_TRACKER_ENTRY],
    bundle: true,
    write: false,
    minify: true,
    target: 'es2017',
    format: 'iife',
    platform: 'browser',
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'silent',
    tsconfigRaw: { compilerOptions: { alwaysStrict: false } },
    // script.ts reads the ENGAGEMENT build flag (bundle.ts); this build has no engagement pings.
    define: { ENGAGEMENT: 'false' },
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no output for the vitals tracker');
  const code = output.text;
  return {
    code,
    minifiedBytes: Buffer.byteLength(code),
    gzipBytes: gzipSync(code, { level: 9 }).length,
  };
}
