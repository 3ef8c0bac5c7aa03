import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { TrackerScript } from '../receiver/tracker-script';

/**
 * /js/script.vitals.js: `script.vitals.js` next to the base script file (TRACKER_SCRIPT_FILE, or
 * the tracker package's dist/) when it was built, otherwise built in memory once at boot.
 */
export async function loadVitalsTrackerScript(baseScriptFile?: string): Promise<TrackerScript> {
  const dir = baseScriptFile
    ? dirname(baseScriptFile)
    : join(dirname(require.resolve('@sightline/tracker/package.json')), 'dist');
  const path = join(dir, 'script.vitals.js');
  let code: Buffer;
  if (existsSync(path)) {
    code = readFileSync(path);
  } else if (baseScriptFile) {
    throw new Error(`${path} does not exist (tracker \`npm run build\` writes it next to script.js)`);
  } else {
    const { buildVitalsTrackerBundle } = await import('@sightline/tracker');
    code = Buffer.from((await buildVitalsTrackerBundle()).code);
  }
  const etag = `"${createHash('sha256').update(code).digest('base64url').slice(0, 22)}"`;
  return { code, gzipped: gzipSync(code, { level: 9 }), etag };
}
