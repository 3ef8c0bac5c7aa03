export { buildTrackerBundle, TRACKER_DIST_FILE, TRACKER_ENTRY, TRACKER_GZIP_BUDGET } from './bundle';
export type { TrackerBundle } from './bundle';
