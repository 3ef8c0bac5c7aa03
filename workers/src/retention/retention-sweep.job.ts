import { Inject, Injectable } from '@nestjs/common';
import { SITE_SCOPED_TABLES, type SiteScopedTable } from '@sightline/clickhouse';
import type { WorkersConfig } from '@sightline/config';
import { DAY, HOUR, type JobContext, type JobResult, type ScheduledJob } from '../jobs/scheduled-job';
import { WORKERS_CONFIG } from '../jobs/tokens';
import { ClickHouseRetentionRepository } from './clickhouse-retention.repository';
import { SiteDeletionRepository } from './site-deletion.repository';

/** First instant of the UTC month containing `date`. */
function monthStart(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}

/** YYYYMM partition id → the first instant of the month after it. */
function partitionEnd(yyyymm: number): Date {
  return new Date(Date.UTC(Math.floor(yyyymm / 100), (yyyymm % 100) - 1 + 1, 1));
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * retention-sweep (daily):
 * 1. completes site deletions: the ClickHouse rows of soft-deleted sites are deleted from every
 *    table in SITE_SCOPED_TABLES, a batch of sites per mutation, one mutation at a time (it waits
 *    for pending mutations on the table first), then the site rows are removed from Postgres;
 * 2. enforces retention at month granularity: a monthly partition older than every org's cutoff
 *    is dropped (cheap, no mutation); an org whose retention is shorter than the others' has its
 *    older rows deleted in batched mutations instead.
 * Idempotent: a rerun after a crash repeats a deletion that finds nothing, or finishes it.
 */
@Injectable()
export class RetentionSweepJob implements ScheduledJob {
  readonly name = 'retention-sweep';
  readonly description = "Deletes deleted sites' data and events past the retention period";
  readonly schedule = { pattern: '30 3 * * *' };
  readonly periodMs = DAY;
  readonly timeoutMs = 3 * HOUR;
  readonly attempts = 3;

  constructor(
    @Inject(SiteDeletionRepository) private readonly sites: SiteDeletionRepository,
    @Inject(ClickHouseRetentionRepository) private readonly clickhouse: ClickHouseRetentionRepository,
    @Inject(WORKERS_CONFIG) private readonly config: WorkersConfig,
  ) {}

  async run(ctx: JobContext, now = new Date()): Promise<JobResult> {
    const deleted = await this.sweepDeletedSites(ctx, now);
    const retention = await this.enforceRetention(ctx, now);
    return { ...deleted, ...retention };
  }

  /** Retention of an org in days: the config default until plans define their own. */
  retentionDays(_orgId: string): number {
    return this.config.RETENTION_DAYS_DEFAULT;
  }

  private async sweepDeletedSites(ctx: JobContext, now: Date) {
    const before = new Date(now.getTime() - this.config.RETENTION_DELETED_SITE_GRACE_SECONDS * 1000);
    const batch = this.config.RETENTION_SITES_PER_MUTATION;
    let sitesRemoved = 0;
    let siteMutations = 0;
    for (;;) {
      ctx.signal.throwIfAborted();
      const ids = await this.sites.deletedSites(before, batch);
      if (ids.length === 0) break;
      for (const table of SITE_SCOPED_TABLES) siteMutations += await this.deleteRows(ctx, table, ids);
      const removed = await this.sites.removeSites(ids);
      sitesRemoved += removed;
      ctx.logger.info({ sites: ids.length, removed }, 'deleted sites swept');
      if (ids.length < batch || removed === 0) break;
    }
    return { sitesRemoved, siteMutations };
  }

  private async enforceRetention(ctx: JobContext, now: Date) {
    const orgs = await this.sites.orgsWithSites();
    const cutoffOf = (days: number) => monthStart(new Date(now.getTime() - days * DAY));
    const orgCutoffs = orgs.map((org) => ({ ...org, cutoff: cutoffOf(this.retentionDays(org.orgId)) }));
    // Partitions can go when every org's retention allows it (with no org, the default applies).
    const dropBefore = orgCutoffs.reduce(
      (min, o) => (o.cutoff < min ? o.cutoff : min),
      cutoffOf(this.config.RETENTION_DAYS_DEFAULT),
    );
    let partitionsDropped = 0;
    let retentionMutations = 0;
    for (const table of SITE_SCOPED_TABLES) {
      if (table.monthlyPartitions) {
        for (const partition of await this.clickhouse.monthlyPartitions(table)) {
          if (partitionEnd(partition) <= dropBefore) {
            await this.clickhouse.dropMonthlyPartition(table, partition);
            partitionsDropped++;
            ctx.logger.info({ table: table.name, partition }, 'partition past retention dropped');
          }
        }
      }
      // Orgs with a shorter retention than the partition bound: batched deletes, by cutoff.
      const byCutoff = new Map<number, number[]>();
      for (const org of orgCutoffs) {
        if (table.monthlyPartitions && org.cutoff <= dropBefore) continue;
        const ids = byCutoff.get(org.cutoff.getTime()) ?? [];
        ids.push(...org.siteIds);
        byCutoff.set(org.cutoff.getTime(), ids);
      }
      for (const [cutoff, siteIds] of byCutoff)
        for (const batch of chunks(siteIds, this.config.RETENTION_SITES_PER_MUTATION))
          retentionMutations += await this.deleteRows(ctx, table, batch, new Date(cutoff));
    }
    return { partitionsDropped, retentionMutations };
  }

  /** One mutation for these sites (if they have rows), started and awaited with no other pending. */
  private async deleteRows(
    ctx: JobContext,
    table: SiteScopedTable,
    siteIds: number[],
    before?: Date,
  ): Promise<number> {
    if ((await this.clickhouse.countSiteRows(table, siteIds, before)) === 0) return 0;
    await this.clickhouse.waitForMutations(table, ctx.signal);
    await this.clickhouse.deleteSiteRows(table, siteIds, before);
    await this.clickhouse.waitForMutations(table, ctx.signal);
    return 1;
  }
}
