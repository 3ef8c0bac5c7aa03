import { existsSync, statSync } from 'node:fs';
import { run } from './processes.mjs';
import { say } from './output.mjs';

/** `npm ci` when node_modules is missing or older than the lock file. */
export function ensureDependencies(root) {
  const marker = `${root}/node_modules/.package-lock.json`;
  const lock = `${root}/package-lock.json`;
  const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs + 1000);
  if (!stale) return;
  say('installing npm dependencies');
  run('npm', [existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root });
}
