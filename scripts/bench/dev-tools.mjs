// The dev orchestrator's process and store helpers, re-exported in one place so the TypeScript
// bench gets types for them (dev-tools.d.mts) without touching scripts/dev.
export {
  canConnect,
  ensureDebianPackage,
  freePort,
  run,
  startProcess,
  stopProcess,
  waitFor,
} from '../dev/processes.mjs';
export { clickHousePing, startClickHouseServer, startRedisServer } from '../dev/stores.mjs';
