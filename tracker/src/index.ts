export {
  buildTrackerBundle,
  buildVitalsTrackerBundle,
  TRACKER_DIST_FILE,
  TRACKER_ENGAGEMENT_GZIP_BUDGET,
  TRACKER_ENTRY,
  TRACKER_EXTENSIONS,
  TRACKER_GZIP_BUDGET,
  TRACKER_GZIP_BUDGETS,
  TRACKER_VARIANTS,
  trackerFileName,
  trackerFileNames,
  trackerVariantOf,
  VITALS_TRACKER_GZIP_BUDGET,
} from './bundle';
export type { TrackerBundle, TrackerExtension, TrackerVariant } from './bundle';
