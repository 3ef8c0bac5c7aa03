/** Imports of historical data (Plausible CSV export zip, Umami data export) into a site. */

export const IMPORT_SOURCES = ['plausible', 'umami'] as const;
export type ImportSource = (typeof IMPORT_SOURCES)[number];
export type ImportStatus = 'queued' | 'running' | 'completed' | 'failed' | 'deleting';

/** Largest upload accepted (bigger bodies get 413 before they are read). */
export const IMPORT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

export interface SiteImportView {
  id: number;
  source: ImportSource;
  status: ImportStatus;
  fileName: string;
  fileBytes: number;
  /** 0–100 while running. */
  progress: number;
  rowsRead: number;
  /** Daily rows stored. */
  rowsImported: number;
  /** First and last imported day, once completed. */
  startDate: string | null;
  endDate: string | null;
  /** Why it failed. */
  error: string | null;
  createdBy: string | null;
  createdAt: string;
  finishedAt: string | null;
}
