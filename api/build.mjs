// `npm run build -w @sightline/api`: bundles the API into dist/main.js for the production image
// (api/Dockerfile); see scripts/build/bundle-service.mjs. `node api/build.mjs --outdir DIR` writes
// elsewhere (the bundle test); DIR must lie inside the repository so node_modules resolve from it.
//
// NestJS's optional packages (@nestjs/microservices, @nestjs/websockets, class-validator, ...) are
// loaded by @nestjs/core with a guarded `require`; @nestjs/* stay external, so esbuild never sees
// those requires. argon2 (a native addon) is external for the same reason.
//
// Not emitted by esbuild: `emitDecoratorMetadata`. The API already runs without it (development runs
// it through tsx, also esbuild), which is why every constructor parameter names its token with
// @Inject(...). `keepNames` keeps class names as written, since Nest and TypeORM read them (provider
// names in errors, OpenAPI schema names) and esbuild would otherwise rename colliding classes.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleService } from '../scripts/build/bundle-service.mjs';

const here = import.meta.dirname;
const { values: args } = parseArgs({ options: { outdir: { type: 'string' } } });

await bundleService({
  packageDir: here,
  entryPoints: { main: join(here, 'src/main.ts') },
  outdir: args.outdir ? resolve(args.outdir) : join(here, 'dist'),
  keepNames: true,
});
