export { buildTrackerBundle, TRACKER_DIST_FILE, TRACKER_ENTRY, TRACKER_GZIP_BUDGET } from './bundle';
export type { TrackerBundle } from './bundle';
export {
  buildVitalsTrackerBundle,
  VITALS_TRACKER_DIST_FILE,
  VITALS_TRACKER_ENTRY,
  VITALS_TRACKER_GZIP_BUDGET,
} from './vitals-bundle';
