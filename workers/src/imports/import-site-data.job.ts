import { Inject, Injectable } from '@nestjs/common';
import { safeError } from '@sightline/observability';
import { MINUTE, type JobContext, type JobResult, type ScheduledJob } from '../jobs/scheduled-job';
import { ImportError } from './import-error';
import { SiteImportRepository } from './site-import.repository';
import { SiteImporter } from './site-importer.service';

/** A running import whose progress has not moved for this long lost its worker: start it again. */
export const IMPORT_STALE_MS = 5 * MINUTE;
const DELETIONS_PER_RUN = 20;

/**
 * import-site-data (every 5 s): first removes imports their owners deleted (their imported_*
 * rows, then the record), then takes one queued upload (Plausible CSV export zip or Umami data
 * export), reads and validates it, and stores its daily rows under the import's id. All or
 * nothing: on any error the import's rows are deleted and the import is `failed` with the
 * reason. Idempotent: a rerun after a crash finds the import stale, clears it and starts over.
 */
@Injectable()
export class ImportSiteDataJob implements ScheduledJob {
  readonly name = 'import-site-data';
  readonly description = 'Imports uploaded Plausible / Umami exports and removes deleted imports';
  readonly schedule = { every: 5_000 };
  /** Idle runs are instant; a long import delays the next run, so readiness allows a long gap. */
  readonly periodMs = 30 * MINUTE;
  readonly timeoutMs = 30 * MINUTE;
  readonly attempts = 1;

  /** Every 5 s: runs that found nothing to do are not worth an info line. */
  quietWhen(result: JobResult): boolean {
    return result.deleted === 0 && result.imported === 0 && result.failed === 0;
  }

  constructor(
    @Inject(SiteImportRepository) private readonly imports: SiteImportRepository,
    @Inject(SiteImporter) private readonly importer: SiteImporter,
  ) {}

  async run(ctx: JobContext, now = new Date()): Promise<JobResult> {
    let deleted = 0;
    const staleBefore = new Date(now.getTime() - IMPORT_STALE_MS);
    for (const doomed of await this.imports.deleting(DELETIONS_PER_RUN, staleBefore)) {
      await this.imports.deleteImportRows(doomed.siteId, doomed.id, ctx.signal);
      await this.imports.remove(doomed.id);
      deleted++;
    }

    const job = await this.imports.claimNext(staleBefore);
    if (!job) return { deleted, imported: 0, failed: 0 };
    const log = ctx.logger.child({ importId: job.id, siteId: job.siteId, source: job.source });
    // Rows of an interrupted earlier attempt.
    if (job.wasRunning) await this.imports.deleteImportRows(job.siteId, job.id, ctx.signal);
    try {
      const upload = await this.imports.file(job.id);
      if (!upload) throw new ImportError('the uploaded file is no longer there; upload it again');
      const outcome = await this.importer.run(job, upload, ctx.signal);
      if ((await this.imports.statusOf(job.id)) !== 'running') {
        // Deleted by its owner while it ran: the deletion pass of the next run removes the rows.
        await this.imports.markStopped(job.id);
        return { deleted, imported: 0, failed: 0 };
      }
      await this.imports.complete(job.id, outcome);
      log.info({ rowsRead: outcome.rowsRead, rowsImported: outcome.rowsImported }, 'import completed');
      return { deleted, imported: 1, failed: 0, rows: outcome.rowsImported };
    } catch (err) {
      const reason =
        err instanceof ImportError ? err.message : 'the import failed on our side; try again later';
      if (!(err instanceof ImportError)) log.error({ err: safeError(err) }, 'import failed');
      else log.info({ reason }, 'import refused');
      // All or nothing: nothing of a failed import stays. A fresh signal: the job's may have timed out.
      await this.imports.deleteImportRows(job.siteId, job.id, AbortSignal.timeout(10 * MINUTE));
      await this.imports.fail(job.id, reason);
      await this.imports.markStopped(job.id); // if its owner deleted it meanwhile
      return { deleted, imported: 0, failed: 1 };
    }
  }
}
