// Bundles the backup and restore commands into dist/backup.js and dist/restore.js for the backup
// image (deploy/backup/Dockerfile): one self-contained CommonJS file each, Node 20+. `pg-native`
// is pg's optional native binding, never installed.
import { build } from 'esbuild';
import { join } from 'node:path';

const here = import.meta.dirname;
for (const [name, entry] of [
  ['backup', 'src/cli/backup-command.ts'],
  ['restore', 'src/cli/restore-command.ts'],
]) {
  await build({
    entryPoints: [join(here, entry)],
    outfile: join(here, 'dist', `${name}.js`),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'linked',
    external: ['pg-native'],
    logLevel: 'warning',
  });
}
