import { existsSync, statSync } from 'node:fs';
import { run } from '../../libs/harness/src/processes.mjs';
import { say } from '../../libs/harness/src/output.mjs';

/**
 * `npm install` when node_modules is missing or older than the lock file. Not `npm ci`: npm 11
 * writes lock files without the other platforms' optional packages (nx, rollup), and `npm ci`
 * then refuses them as out of sync; `npm install` installs the locked versions all the same.
 */
export function ensureDependencies(root) {
  const marker = `${root}/node_modules/.package-lock.json`;
  const lock = `${root}/package-lock.json`;
  const stale =
    !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs + 1000);
  if (!stale) return;
  say('installing npm dependencies');
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root });
}
