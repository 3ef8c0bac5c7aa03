// `npm run build`: writes dist/script.js and prints its size. The build itself lives in
// src/bundle.ts (shared with the size test and the ingest service); tsx's CommonJS hook lets plain
// Node load that TypeScript module (the package is CommonJS-typed, like its TS consumers see it).
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { register } from 'tsx/cjs/api';

register();
const {
  buildTrackerBundle,
  trackerFileName,
  TRACKER_DIST_FILE,
  TRACKER_GZIP_BUDGET,
  TRACKER_ENGAGEMENT_GZIP_BUDGET,
} = createRequire(import.meta.url)('./src/bundle.ts');

// script.js (the budgeted base) and script.engagement.js (opt-in engagement pings), side by side.
const budgets = { base: TRACKER_GZIP_BUDGET, engagement: TRACKER_ENGAGEMENT_GZIP_BUDGET };
await mkdir(dirname(TRACKER_DIST_FILE), { recursive: true });
for (const [variant, budget] of Object.entries(budgets)) {
  const { code, minifiedBytes, gzipBytes } = await buildTrackerBundle(variant);
  const name = trackerFileName(variant);
  await writeFile(join(dirname(TRACKER_DIST_FILE), name), code);
  console.log(
    `tracker ${name}: ${minifiedBytes} bytes minified, ${gzipBytes} bytes gzip -9 (budget ${budget})`,
  );
  if (gzipBytes > budget) {
    console.error(`tracker ${name}: over budget by ${gzipBytes - budget} bytes`);
    process.exitCode = 1;
  }
}

// The opt-in web-vitals build (base script + extension), served at /js/script.vitals.js.
const { buildVitalsTrackerBundle, VITALS_TRACKER_DIST_FILE, VITALS_TRACKER_GZIP_BUDGET } = createRequire(
  import.meta.url,
)('./src/vitals-bundle.ts');
const vitals = await buildVitalsTrackerBundle();
await writeFile(VITALS_TRACKER_DIST_FILE, vitals.code);
console.log(
  `tracker (vitals): ${vitals.minifiedBytes} bytes minified, ${vitals.gzipBytes} bytes gzip -9 (budget ${VITALS_TRACKER_GZIP_BUDGET})`,
);
if (vitals.gzipBytes > VITALS_TRACKER_GZIP_BUDGET) {
  console.error(`tracker (vitals): over budget by ${vitals.gzipBytes - VITALS_TRACKER_GZIP_BUDGET} bytes`);
  process.exitCode = 1;
}
