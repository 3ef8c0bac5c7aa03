// `npm run build -w @sightline/ingest`: bundles the receiver and the flusher into dist/receiver.js and
// dist/flusher.js for the production image (ingest/Dockerfile); see scripts/build/bundle-service.mjs.
import { join } from 'node:path';
import { bundleService } from '../scripts/build/bundle-service.mjs';

const here = import.meta.dirname;

await bundleService({
  packageDir: here,
  entryPoints: {
    receiver: join(here, 'src/receiver/receiver.main.ts'),
    flusher: join(here, 'src/flusher/flusher.main.ts'),
  },
  outdir: join(here, 'dist'),
  // The receiver imports the tracker only for the development fallback that builds the script in
  // memory when no prebuilt one exists. It drags in esbuild (a root devDependency with a native
  // binary, absent from the production install) and uses `import.meta.url`, which is empty in a
  // CommonJS bundle. The image serves the prebuilt tracker/dist/script.js via TRACKER_SCRIPT_FILE.
  devOnlyWorkspacePackages: ['@sightline/tracker'],
});
