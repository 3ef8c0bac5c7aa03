import { Inject, Injectable } from '@nestjs/common';
import { ImportError } from './import-error';
import {
  IMPORTED_TABLE_SPECS,
  plausibleTableOf,
  UMAMI_REQUIRED_COLUMNS,
  type ImportedTableSpec,
} from './import-formats';
import { columnValue } from './import-values';
import type { ClaimedImport } from './site-import.repository';
import { SiteImportRepository } from './site-import.repository';
import { csvRows, isZip, readZipEntries, type ZipEntry } from './upload-reader';
import { UmamiAggregator, type ImportedRow } from './umami-aggregator';

const INSERT_BATCH = 10_000;
/** Umami rows are grouped into visits in memory (~1 KB of heap per visit, measured): bound one upload. */
export const MAX_UMAMI_EVENTS = 500_000;
/** Progress is written at most this often (it is also the running import's heartbeat). */
const PROGRESS_EVERY_MS = 1_000;

export interface ImportOutcome {
  rowsRead: number;
  rowsImported: number;
  startDate: string | null;
  endDate: string | null;
}

function countLines(data: Buffer): number {
  let n = 0;
  for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) n++;
  return Math.max(1, n);
}

/**
 * Reads one upload and writes its daily rows into the imported_* tables under the import's id.
 * Every row is validated before anything of its file is inserted in batches; on any error the
 * caller deletes what was written (all or nothing).
 */
@Injectable()
export class SiteImporter {
  constructor(@Inject(SiteImportRepository) private readonly imports: SiteImportRepository) {}

  async run(job: ClaimedImport, upload: Buffer, signal: AbortSignal): Promise<ImportOutcome> {
    const tracker = new ProgressTracker(job.id, this.imports);
    const outcome =
      job.source === 'plausible'
        ? await this.plausible(job, upload, signal, tracker)
        : await this.umami(job, upload, signal, tracker);
    if (outcome.rowsImported === 0) throw new ImportError('the upload holds no data rows');
    return outcome;
  }

  private async plausible(
    job: ClaimedImport,
    upload: Buffer,
    signal: AbortSignal,
    tracker: ProgressTracker,
  ): Promise<ImportOutcome> {
    let files: ZipEntry[];
    if (isZip(upload)) {
      files = readZipEntries(upload, (name) => plausibleTableOf(name) !== null);
    } else {
      if (!plausibleTableOf(job.fileName))
        throw new ImportError(
          'a single CSV must keep its export name (e.g. imported_visitors_20240101_20241231.csv); or upload the whole zip',
        );
      files = [{ name: job.fileName, data: upload }];
    }
    if (files.length === 0)
      throw new ImportError(
        'no Plausible export files in the zip (expected imported_visitors_YYYYMMDD_YYYYMMDD.csv and the like)',
      );
    const tables = files.map((f) => plausibleTableOf(f.name)!.table);
    if (!tables.includes('imported_visitors'))
      throw new ImportError('the export has no imported_visitors_…csv file, which holds the totals');
    const duplicate = tables.find((t, i) => tables.indexOf(t) !== i);
    if (duplicate) throw new ImportError(`the zip holds two files for ${duplicate}`);

    const range = new DateRange();
    const totalLines = files.reduce((n, f) => n + countLines(f.data), 0);
    let rowsRead = 0;
    let rowsImported = 0;
    for (const file of files) {
      const spec = plausibleTableOf(file.name)!;
      const label = file.name.split('/').pop() ?? file.name;
      // Inserted in batches as it streams (memory stays flat); a bad row later on fails the import
      // and the caller deletes what was written.
      let rows: ImportedRow[] = [];
      const flush = async (): Promise<void> => {
        if (rows.length === 0) return;
        await this.imports.insertRows(spec.table, job.siteId, job.id, rows);
        rowsImported += rows.length;
        rows = [];
      };
      for await (const { line, values } of csvRows(
        file.data,
        label,
        spec.columns.filter((c) => !c.optional).map((c) => c.name),
      )) {
        signal.throwIfAborted();
        const row = plausibleRow(spec, values, `${label} line ${line}`);
        range.add(row.date as string);
        rows.push(row);
        rowsRead++;
        if (rows.length >= INSERT_BATCH) await flush();
        await tracker.maybe((rowsRead / totalLines) * 99, rowsRead);
      }
      await flush();
    }
    return { rowsRead, rowsImported, ...range.result() };
  }

  private async umami(
    job: ClaimedImport,
    upload: Buffer,
    signal: AbortSignal,
    tracker: ProgressTracker,
  ): Promise<ImportOutcome> {
    let file: ZipEntry;
    if (isZip(upload)) {
      const csvs = readZipEntries(upload, (name) => name.toLowerCase().endsWith('.csv'));
      const chosen =
        csvs.find((f) => /website_event/i.test(f.name)) ?? (csvs.length === 1 ? csvs[0] : undefined);
      if (!chosen) throw new ImportError('no website_event CSV in the zip (Umami’s data export)');
      file = chosen;
    } else file = { name: job.fileName, data: upload };

    const label = file.name.split('/').pop() ?? file.name;
    const aggregator = new UmamiAggregator(job.timezone);
    const totalLines = countLines(file.data);
    for await (const { line, values } of csvRows(file.data, label, UMAMI_REQUIRED_COLUMNS)) {
      signal.throwIfAborted();
      if (aggregator.rows >= MAX_UMAMI_EVENTS)
        throw new ImportError(
          `${label} holds more than ${MAX_UMAMI_EVENTS.toLocaleString('en')} events; export shorter periods and import them one by one`,
        );
      aggregator.add(values, `${label} line ${line}`);
      await tracker.maybe((aggregator.rows / totalLines) * 80, aggregator.rows);
    }
    const tables = aggregator.finish();
    const range = new DateRange();
    let rowsImported = 0;
    let done = 0;
    for (const spec of IMPORTED_TABLE_SPECS) {
      const rows = tables.get(spec.table) ?? [];
      for (const row of rows) range.add(row.date as string);
      for (let at = 0; at < rows.length; at += INSERT_BATCH) {
        signal.throwIfAborted();
        await this.imports.insertRows(spec.table, job.siteId, job.id, rows.slice(at, at + INSERT_BATCH));
      }
      rowsImported += rows.length;
      await tracker.maybe(80 + (++done / IMPORTED_TABLE_SPECS.length) * 19, aggregator.rows);
    }
    return { rowsRead: aggregator.rows, rowsImported, ...range.result() };
  }
}

/** One validated Plausible row, in the column order of our table. */
function plausibleRow(spec: ImportedTableSpec, values: Record<string, string>, where: string): ImportedRow {
  const row: ImportedRow = {};
  for (const column of spec.columns) row[column.name] = columnValue(column, values[column.name], where);
  return row;
}

class DateRange {
  private min: string | null = null;
  private max: string | null = null;
  add(date: string): void {
    if (this.min === null || date < this.min) this.min = date;
    if (this.max === null || date > this.max) this.max = date;
  }
  result(): { startDate: string | null; endDate: string | null } {
    return { startDate: this.min, endDate: this.max };
  }
}

class ProgressTracker {
  private last = 0;
  constructor(
    private readonly id: number,
    private readonly imports: SiteImportRepository,
  ) {}

  async maybe(progress: number, rowsRead: number): Promise<void> {
    const now = Date.now();
    if (now - this.last < PROGRESS_EVERY_MS) return;
    this.last = now;
    await this.imports.progress(this.id, progress, rowsRead);
  }
}
