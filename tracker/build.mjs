// `npm run build`: writes dist/script.js and prints its size. The build itself lives in
// src/bundle.ts (shared with the size test and the ingest service); tsx's CommonJS hook lets plain
// Node load that TypeScript module (the package is CommonJS-typed, like its TS consumers see it).
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { register } from 'tsx/cjs/api';

register();
const { buildTrackerBundle, TRACKER_DIST_FILE, TRACKER_GZIP_BUDGET } = createRequire(import.meta.url)(
  './src/bundle.ts',
);

const { code, minifiedBytes, gzipBytes } = await buildTrackerBundle();
await mkdir(dirname(TRACKER_DIST_FILE), { recursive: true });
await writeFile(TRACKER_DIST_FILE, code);
console.log(
  `tracker: ${minifiedBytes} bytes minified, ${gzipBytes} bytes gzip -9 (budget ${TRACKER_GZIP_BUDGET})`,
);
if (gzipBytes > TRACKER_GZIP_BUDGET) {
  console.error(`tracker: over budget by ${gzipBytes - TRACKER_GZIP_BUDGET} bytes`);
  process.exitCode = 1;
}
