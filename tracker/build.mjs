// `npm run build`: writes dist/script.js and every opt-in variant beside it (script.engagement.js,
// script.vitals.js, script.engagement.vitals.js) and prints their sizes. The build itself lives in
// src/bundle.ts (shared with the size test and the ingest service); tsx's CommonJS hook lets plain
// Node load that TypeScript module (the package is CommonJS-typed, like its TS consumers see it).
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { register } from 'tsx/cjs/api';

register();
const { buildTrackerBundle, trackerFileName, TRACKER_DIST_FILE, TRACKER_GZIP_BUDGETS, TRACKER_VARIANTS } =
  createRequire(import.meta.url)('./src/bundle.ts');

await mkdir(dirname(TRACKER_DIST_FILE), { recursive: true });
for (const variant of TRACKER_VARIANTS) {
  const budget = TRACKER_GZIP_BUDGETS[variant];
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
