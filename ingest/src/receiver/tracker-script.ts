import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The tracker's builds and their names, as in @sightline/tracker (bundle.ts). Kept here, not
 * imported: the tracker package is a development dependency of the production bundle
 * (build.mjs), which serves prebuilt files; tracker-variants.spec.ts checks both agree.
 */
export const TRACKER_VARIANTS = ['base', 'engagement', 'vitals', 'engagement.vitals'] as const;
export type TrackerVariant = (typeof TRACKER_VARIANTS)[number];

/** Every name a variant answers to under /js/: its extensions in any order, as Plausible accepts them. */
export function trackerFileNames(variant: TrackerVariant): string[] {
  if (variant === 'base') return ['script.js'];
  const [first, second] = variant.split('.');
  return second ? [`script.${first}.${second}.js`, `script.${second}.${first}.js`] : [`script.${first}.js`];
}

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
 * The tracker as served at /js/script.js (or a variant, /js/script.engagement.vitals.js): the
 * prebuilt file when there is one (production images build them all), otherwise built in memory
 * once at boot (development), pre-gzipped either way. A configured TRACKER_SCRIPT_FILE names the
 * base script; a variant is the file of its name beside it.
 */
export async function loadTrackerScript(
  file?: string,
  variant: TrackerVariant = 'base',
): Promise<TrackerScript> {
  const path = file ? join(dirname(file), variantName(basename(file), variant)) : defaultFile(variant);
  return trackerScriptOf(path, !!file, variant);
}

/** Every variant, loaded as loadTrackerScript does. */
export async function loadTrackerVariants(
  file?: string,
): Promise<Record<Exclude<TrackerVariant, 'base'>, TrackerScript>> {
  return {
    engagement: await loadTrackerScript(file, 'engagement'),
    vitals: await loadTrackerScript(file, 'vitals'),
    'engagement.vitals': await loadTrackerScript(file, 'engagement.vitals'),
  };
}

async function trackerScriptOf(
  path: string,
  configured: boolean,
  variant: TrackerVariant,
): Promise<TrackerScript> {
  let code: Buffer;
  if (existsSync(path)) {
    code = readFileSync(path);
  } else if (configured) {
    throw new Error(
      `TRACKER_SCRIPT_FILE ${path} does not exist (tracker \`npm run build\` writes every variant beside it)`,
    );
  } else {
    const { buildTrackerBundle } = await import('@sightline/tracker');
    code = Buffer.from((await buildTrackerBundle(variant)).code);
  }
  const etag = `"${createHash('sha256').update(code).digest('base64url').slice(0, 22)}"`;
  return { code, gzipped: gzipSync(code, { level: 9 }), etag };
}

/** `script.js` → `script.engagement.vitals.js`. */
function variantName(base: string, variant: TrackerVariant): string {
  return variant === 'base' ? base : base.replace(/(\.js)?$/, `.${variant}.js`);
}
