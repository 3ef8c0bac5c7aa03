export {
  buildTrackerBundle,
  TRACKER_DIST_FILE,
  TRACKER_ENGAGEMENT_GZIP_BUDGET,
  TRACKER_ENTRY,
  TRACKER_GZIP_BUDGET,
  trackerFileName,
} from './bundle';
export type { TrackerBundle, TrackerVariant } from './bundle';
export {
  buildVitalsTrackerBundle,
  VITALS_TRACKER_DIST_FILE,
  VITALS_TRACKER_ENTRY,
  VITALS_TRACKER_GZIP_BUDGET,
} from './vitals-bundle';
