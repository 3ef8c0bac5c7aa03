// `npm run build -w @sightline/api`: bundles the API into dist/main.js (CommonJS, Node 20+, linked
// source maps) for the production image (api/Dockerfile). `node api/build.mjs --outdir DIR` writes
// elsewhere (the bundle test); DIR must lie inside the repository so node_modules resolve from it.
//
// Same approach as ingest/build.mjs: the workspace libraries (@sightline/*) are TypeScript source and
// are bundled; every npm package the API and those libraries depend on stays external and is resolved
// from node_modules at run time (the image installs exactly those: `npm install --omit=dev -w
// @sightline/api`). That settles NestJS's optional packages the way its community does for bundles:
// @nestjs/core and @nestjs/common load @nestjs/microservices, @nestjs/websockets, class-validator,
// class-transformer, ... with a guarded `require` at run time, and since @nestjs/* are not bundled
// esbuild never sees those requires (nothing to stub, no "could not resolve" errors). argon2 (a native
// addon loaded from its prebuilds/ directory) is external for the same reason: a `.node` binary cannot
// be bundled.
//
// Not emitted by esbuild: `emitDecoratorMetadata`. The API already runs without it (development runs
// it through tsx, also esbuild), which is why every constructor parameter names its token with
// @Inject(...). `keepNames` keeps class names as written, since Nest and TypeORM read them (provider
// names in errors, OpenAPI schema names) and esbuild would otherwise rename colliding classes.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createRequire, isBuiltin } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const here = import.meta.dirname;
const root = join(here, '..');
const WORKSPACE_SCOPE = '@sightline/';

const { values: args } = parseArgs({ options: { outdir: { type: 'string' } } });
const outdir = args.outdir ? resolve(args.outdir) : join(here, 'dist');
if (relative(root, outdir).startsWith('..')) {
  throw new Error(`--outdir must be inside ${root}, or the bundle cannot resolve node_modules`);
}

/** npm dependencies of the API and of every workspace library it bundles, transitively. */
function runtimeDependencies() {
  const npmPackages = new Set();
  const seen = new Set();
  const visit = (packageJsonPath) => {
    const manifest = JSON.parse(readFileSync(packageJsonPath, 'utf8'));
    const require = createRequire(packageJsonPath);
    for (const name of Object.keys(manifest.dependencies ?? {})) {
      if (!name.startsWith(WORKSPACE_SCOPE)) {
        npmPackages.add(name);
      } else if (!seen.has(name)) {
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

const external = runtimeDependencies();
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
            text: `"${args.path}" is not a dependency of @sightline/api or of the workspace libraries it bundles (imported by ${relative(root, args.importer)})`,
          },
        ],
      };
    });
  },
};

await rm(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { main: join(here, 'src/main.ts') },
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  minify: false,
  keepNames: true,
  // Legacy decorators and the other compiler options come from the shared base config.
  tsconfig: join(root, 'tsconfig.base.json'),
  external,
  plugins: [undeclaredImportGuard],
  metafile: true,
  logLevel: 'warning',
});

for (const [file, output] of Object.entries(result.metafile.outputs)) {
  if (!file.endsWith('.js')) continue;
  console.log(`api: ${file} ${(output.bytes / 1024).toFixed(1)} KiB`);
}
console.log(`api: external at run time: ${external.join(', ')}`);
