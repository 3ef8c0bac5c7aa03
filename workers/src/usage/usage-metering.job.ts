import { Inject, Injectable } from '@nestjs/common';
import { recentCycles, type UsageCycle } from '@sightline/usage';
import { MINUTE, type JobContext, type JobResult, type ScheduledJob } from '../jobs/scheduled-job';
import { BillableEventsRepository, type SiteCycles } from './billable-events.repository';
import { OrgUsageRepository, type UsageCycleRow } from './org-usage.repository';

/** The current cycle and this many before it are recounted on every run (late events, corrections). */
const PREVIOUS_CYCLES = 2;

/**
 * usage-metering: for every org, billable events (pageviews + custom events of all its sites) in
 * its current usage cycle and the two before it, counted by one ClickHouse query and upserted into
 * usage_cycles. Idempotent: a rerun writes the same rows with fresher counts.
 */
@Injectable()
export class UsageMeteringJob implements ScheduledJob {
  readonly name = 'usage-metering';
  readonly description = 'Billable events per org and usage cycle, ClickHouse → Postgres usage_cycles';
  readonly schedule = { every: 15 * MINUTE };
  readonly periodMs = 15 * MINUTE;
  readonly timeoutMs = 10 * MINUTE;
  readonly attempts = 3;

  constructor(
    @Inject(OrgUsageRepository) private readonly orgs: OrgUsageRepository,
    @Inject(BillableEventsRepository) private readonly events: BillableEventsRepository,
  ) {}

  async run(_ctx: JobContext, now = new Date()): Promise<JobResult> {
    const orgs = await this.orgs.listOrgs();
    const cyclesByOrg = new Map<string, UsageCycle[]>();
    const siteCycles: SiteCycles[] = [];
    const orgOfSite = new Map<number, string>();
    for (const org of orgs) {
      const cycles = recentCycles(org.anchor, now, PREVIOUS_CYCLES).reverse(); // oldest first
      cyclesByOrg.set(org.orgId, cycles);
      const boundaries = [...cycles.map((c) => c.start), (cycles[cycles.length - 1] as UsageCycle).end];
      for (const siteId of org.siteIds) {
        siteCycles.push({ siteId, boundaries });
        orgOfSite.set(siteId, org.orgId);
      }
    }
    const counts = await this.events.countBySiteAndCycle(siteCycles);
    const totals = new Map<string, number[]>();
    for (const org of orgs) totals.set(org.orgId, new Array<number>(PREVIOUS_CYCLES + 1).fill(0));
    for (const count of counts) {
      const orgTotals = totals.get(orgOfSite.get(count.siteId) ?? '');
      if (orgTotals && count.cycle in orgTotals)
        orgTotals[count.cycle] = (orgTotals[count.cycle] ?? 0) + count.events;
    }
    const rows: UsageCycleRow[] = [];
    for (const [orgId, cycles] of cyclesByOrg) {
      const orgTotals = totals.get(orgId) ?? [];
      cycles.forEach((cycle, i) =>
        rows.push({ orgId, cycleStart: cycle.start, cycleEnd: cycle.end, events: orgTotals[i] ?? 0 }),
      );
    }
    const written = await this.orgs.upsertCycles(rows, now);
    return {
      orgs: orgs.length,
      sites: siteCycles.length,
      cyclesWritten: written,
      events: counts.reduce((sum, c) => sum + c.events, 0),
    };
  }
}
