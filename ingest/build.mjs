// `npm run build -w @sightline/ingest`: bundles the receiver and the flusher into dist/receiver.js and
// dist/flusher.js (CommonJS, Node 20+, linked source maps) for the production image.
//
// The workspace libraries (@sightline/*) are TypeScript source, so they are bundled. Everything
// they and the ingest import from npm stays external and is resolved from node_modules at run time:
// the image installs exactly those packages (`npm ci --omit=dev -w @sightline/ingest`). esbuild's
// `packages: 'external'` would externalise the workspace libraries too, hence the computed list.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createRequire, isBuiltin } from 'node:module';
import { join, relative } from 'node:path';

const here = import.meta.dirname;
const root = join(here, '..');
const outdir = join(here, 'dist');
const WORKSPACE_SCOPE = '@sightline/';

/**
 * Not bundled although it is a workspace package: the receiver imports it only for the
 * development fallback that builds the tracker in memory when no prebuilt script exists. It drags
 * in esbuild (a root devDependency with a native binary, absent from the production install) and
 * uses `import.meta.url`, which is empty in a CommonJS bundle. The image serves the prebuilt
 * tracker/dist/script.js through TRACKER_SCRIPT_FILE instead.
 */
const DEV_ONLY_WORKSPACE_PACKAGES = new Set(['@sightline/tracker']);

/** npm dependencies of the ingest and of every workspace library it bundles, transitively. */
function runtimeDependencies() {
  const npmPackages = new Set();
  const seen = new Set();
  const visit = (packageJsonPath) => {
    const manifest = JSON.parse(readFileSync(packageJsonPath, 'utf8'));
    const require = createRequire(packageJsonPath);
    for (const name of Object.keys(manifest.dependencies ?? {})) {
      if (!name.startsWith(WORKSPACE_SCOPE)) {
        npmPackages.add(name);
      } else if (!DEV_ONLY_WORKSPACE_PACKAGES.has(name) && !seen.has(name)) {
        seen.add(name);
        visit(require.resolve(`${name}/package.json`));
      }
    }
  };
  visit(join(here, 'package.json'));
  return [...npmPackages].sort();
}

/** The package part of a bare import path: `pino/file` → `pino`, `@a/b/c` → `@a/b`. */
function packageName(path) {
  const parts = path.split('/');
  return path.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? path);
}

const external = [...runtimeDependencies(), ...DEV_ONLY_WORKSPACE_PACKAGES];
const allowedExternal = new Set(external);

/**
 * Fails the build on a bare import that is neither a Node built-in, a bundled workspace library nor
 * a declared dependency: esbuild would otherwise quietly bundle whatever npm happened to hoist (or
 * the image would miss it at run time).
 */
const undeclaredImportGuard = {
  name: 'undeclared-import-guard',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^[^./]/ }, (args) => {
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      const name = packageName(args.path);
      if (allowedExternal.has(name)) return { path: args.path, external: true };
      if (name.startsWith(WORKSPACE_SCOPE)) return undefined; // bundled from source
      return {
        errors: [
          {
            text: `"${args.path}" is not a dependency of @sightline/ingest or of the workspace libraries it bundles (imported by ${relative(root, args.importer)})`,
          },
        ],
      };
    });
  },
};

await rm(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: {
    receiver: join(here, 'src/receiver/receiver.main.ts'),
    flusher: join(here, 'src/flusher/flusher.main.ts'),
  },
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  minify: false,
  // Legacy decorators and the other compiler options come from the shared base config.
  tsconfig: join(root, 'tsconfig.base.json'),
  external,
  plugins: [undeclaredImportGuard],
  metafile: true,
  logLevel: 'warning',
});

for (const [file, output] of Object.entries(result.metafile.outputs)) {
  if (!file.endsWith('.js')) continue;
  console.log(`ingest: ${file} ${(output.bytes / 1024).toFixed(1)} KiB`);
}
console.log(`ingest: external at run time: ${external.join(', ')}`);
