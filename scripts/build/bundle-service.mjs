// Bundles one service package (api, ingest) for its production image: CommonJS, Node 20+, linked
// source maps. The workspace libraries (@sightline/*) are TypeScript source, so they are bundled.
// Every npm package the service and those libraries depend on stays external and is resolved from
// node_modules at run time: the image installs exactly those (`npm install --omit=dev -w <package>`).
// esbuild's `packages: 'external'` would externalise the workspace libraries too, hence the computed
// list. Native addons (argon2) and packages with guarded optional requires (@nestjs/*) work for the
// same reason: esbuild never looks inside them.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createRequire, isBuiltin } from 'node:module';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const WORKSPACE_SCOPE = '@sightline/';

/** npm dependencies of a package and of every workspace library it bundles, transitively. */
function runtimeDependencies(packageDir, devOnly) {
  const npmPackages = new Set();
  const seen = new Set();
  const visit = (packageJsonPath) => {
    const manifest = JSON.parse(readFileSync(packageJsonPath, 'utf8'));
    const require = createRequire(packageJsonPath);
    for (const name of Object.keys(manifest.dependencies ?? {})) {
      if (!name.startsWith(WORKSPACE_SCOPE)) {
        npmPackages.add(name);
      } else if (!devOnly.has(name) && !seen.has(name)) {
        seen.add(name);
        visit(require.resolve(`${name}/package.json`));
      }
    }
  };
  visit(join(packageDir, 'package.json'));
  return [...npmPackages].sort();
}

/** The package part of a bare import path: `pino/file` → `pino`, `@a/b/c` → `@a/b`. */
function packageName(path) {
  const parts = path.split('/');
  return path.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? path);
}

/**
 * Fails the build on a bare import that is neither a Node built-in, a bundled workspace library nor
 * a declared dependency: esbuild would otherwise quietly bundle whatever npm happened to hoist (or
 * the image would miss it at run time).
 */
function undeclaredImportGuard(label, allowedExternal) {
  return {
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
              text: `"${args.path}" is not a dependency of ${label} or of the workspace libraries it bundles (imported by ${relative(root, args.importer)})`,
            },
          ],
        };
      });
    },
  };
}

/**
 * @param {object} options
 * @param {string} options.packageDir the service's folder (holds package.json)
 * @param {Record<string, string>} options.entryPoints output name → source file
 * @param {string} options.outdir emptied first; must lie inside the repository so node_modules resolve
 * @param {string[]} [options.devOnlyWorkspacePackages] workspace packages imported only in development: external, not bundled
 * @param {boolean} [options.keepNames] keep class names as written (Nest and TypeORM read them)
 */
export async function bundleService({
  packageDir,
  entryPoints,
  outdir,
  devOnlyWorkspacePackages = [],
  keepNames = false,
}) {
  if (relative(root, outdir).startsWith('..'))
    throw new Error(`outdir must be inside ${root}, or the bundle cannot resolve node_modules`);
  const label = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).name;
  const devOnly = new Set(devOnlyWorkspacePackages);
  const external = [...runtimeDependencies(packageDir, devOnly), ...devOnly];

  await rm(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints,
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'linked',
    minify: false,
    keepNames,
    // Legacy decorators and the other compiler options come from the shared base config.
    tsconfig: join(root, 'tsconfig.base.json'),
    external,
    plugins: [undeclaredImportGuard(label, new Set(external))],
    metafile: true,
    logLevel: 'warning',
  });

  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (file.endsWith('.js')) console.log(`${label}: ${file} ${(output.bytes / 1024).toFixed(1)} KiB`);
  }
  console.log(`${label}: external at run time: ${external.join(', ')}`);
}
