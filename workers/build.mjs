// `npm run build -w @sightline/workers`: bundles the workers into dist/main.js for the production image
// (workers/Dockerfile); see scripts/build/bundle-service.mjs. Like the API, every constructor
// parameter names its token with @Inject(...) (esbuild emits no decorator metadata) and class names
// are kept (Nest reads them).
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleService } from '../scripts/build/bundle-service.mjs';

const here = import.meta.dirname;
const { values: args } = parseArgs({ options: { outdir: { type: 'string' } } });

await bundleService({
  packageDir: here,
  entryPoints: { main: join(here, 'src/main.ts'), 'job-cli': join(here, 'src/job-cli.ts') },
  outdir: args.outdir ? resolve(args.outdir) : join(here, 'dist'),
  keepNames: true,
});
