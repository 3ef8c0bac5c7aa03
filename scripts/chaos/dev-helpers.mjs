// The orchestrator's process and store helpers, re-exported so the chaos script can import them
// with types: scripts/dev is plain JavaScript without declarations, and the declarations for
// this file live beside it (dev-helpers.d.mts) instead of being added to scripts/dev.
export {
  canConnect,
  ensureDebianPackage,
  freePort,
  startProcess,
  stopProcess,
  waitFor,
} from '../dev/processes.mjs';
export { clickHousePing, startClickHouseServer } from '../dev/stores.mjs';
