import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
// Types only: the tracker package is a development dependency of the production bundle (build.mjs).
import type { TrackerVariant } from '@sightline/tracker';
import { gzipSync } from 'node:zlib';

export interface TrackerScript {
  code: Buffer;
  gzipped: Buffer;
  etag: string;
}

function defaultFile(variant: TrackerVariant): string {
  return join(
    dirname(require.resolve('@sightline/tracker/package.json')),
    'dist',
    variantName('script.js', variant),
  );
}

/**
 * The tracker as served at /js/script.js (or /js/script.engagement.js): the prebuilt file when
 * there is one (production images build both), otherwise built in memory once at boot
 * (development), pre-gzipped either way. A configured TRACKER_SCRIPT_FILE names the base script;
 * the variant is the file of its name beside it.
 */
export async function loadTrackerScript(
  file?: string,
  variant: TrackerVariant = 'base',
): Promise<TrackerScript> {
  const path = file ? join(dirname(file), variantName(basename(file), variant)) : defaultFile(variant);
  let code: Buffer;
  if (existsSync(path)) {
    code = readFileSync(path);
  } else if (file) {
    throw new Error(`TRACKER_SCRIPT_FILE ${path} does not exist`);
  } else {
    const { buildTrackerBundle } = await import('@sightline/tracker');
    code = Buffer.from((await buildTrackerBundle(variant)).code);
  }
  const etag = `"${createHash('sha256').update(code).digest('base64url').slice(0, 22)}"`;
  return { code, gzipped: gzipSync(code, { level: 9 }), etag };
}

/** `script.js` → `script.engagement.js`. */
function variantName(base: string, variant: TrackerVariant): string {
  return variant === 'base' ? base : base.replace(/(\.js)?$/, `.${variant}.js`);
}
