// The dashboard runs as a production build (`next build` + `next start`): fingerprinted assets
// with long-lived cache headers, as in production. The build is redone only when its inputs change.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { run } from '../../libs/harness/src/processes.mjs';
import { say } from '../../libs/harness/src/output.mjs';

const INPUTS = ['dashboard', 'libs/api-contract/src', 'libs/plans/src', 'libs/query/src'];
const SKIP = new Set(['node_modules', '.next', '.next-test', 'test', 'README.md', 'tsconfig.tsbuildinfo']);

function hashInputs(root, env) {
  const hash = createHash('sha256');
  const visit = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      if (SKIP.has(name)) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) visit(path);
      else hash.update(relative(root, path)).update(readFileSync(path));
    }
  };
  for (const input of INPUTS) visit(join(root, input));
  // Public variables are inlined into the bundle at build time.
  for (const [k, v] of Object.entries(env).sort())
    if (k.startsWith('NEXT_PUBLIC_') || k === 'API_INTERNAL_URL') hash.update(`${k}=${v}`);
  return hash.digest('hex');
}

/**
 * Runs `next build` into `dashboard/<distDir>` unless a build of exactly these sources and settings
 * is there. Tests build into their own directory, so they never replace the `npm start` build.
 * `next start` must get the same API_INTERNAL_URL and NEXT_DIST_DIR (it reads next.config again).
 */
export function ensureDashboardBuild(root, env, distDir = '.next') {
  const out = join(root, 'dashboard', distDir);
  const marker = join(out, 'sightline-build-hash');
  const wanted = hashInputs(root, env);
  if (existsSync(marker) && readFileSync(marker, 'utf8') === wanted && existsSync(join(out, 'BUILD_ID'))) {
    say('dashboard build is up to date');
    return;
  }
  say(`building the dashboard (next build into dashboard/${distDir})`);
  run('npx', ['next', 'build'], {
    cwd: join(root, 'dashboard'),
    env: { ...env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: '1' },
  });
  writeFileSync(marker, wanted);
}
