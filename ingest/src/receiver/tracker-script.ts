import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface TrackerScript {
  code: Buffer;
  gzipped: Buffer;
  etag: string;
}

function defaultFile(): string {
  return join(dirname(require.resolve('@sightline/tracker/package.json')), 'dist', 'script.js');
}

/**
 * The tracker as served at /js/script.js: the prebuilt file when there is one (production images
 * build it), otherwise built in memory once at boot (development), pre-gzipped either way.
 */
export async function loadTrackerScript(file?: string): Promise<TrackerScript> {
  const path = file ?? defaultFile();
  let code: Buffer;
  if (existsSync(path)) {
    code = readFileSync(path);
  } else if (file) {
    throw new Error(`TRACKER_SCRIPT_FILE ${file} does not exist`);
  } else {
    const { buildTrackerBundle } = await import('@sightline/tracker');
    code = Buffer.from((await buildTrackerBundle()).code);
  }
  const etag = `"${createHash('sha256').update(code).digest('base64url').slice(0, 22)}"`;
  return { code, gzipped: gzipSync(code, { level: 9 }), etag };
}
