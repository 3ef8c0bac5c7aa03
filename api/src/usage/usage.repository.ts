import { Inject, Injectable } from '@nestjs/common';
import { DataSource, LessThanOrEqual } from 'typeorm';
import { OrgEntity, UsageCycleEntity } from '@sightline/database';

export interface UsageCycleRow {
  cycleStart: Date;
  cycleEnd: Date;
  events: number;
  computedAt: Date | null;
}

/**
 * The one reader of `usage_cycles` (written by the workers' metering job), so the usage API, the
 * billing page, the checkout check and the quota mails all show the same number.
 */
@Injectable()
export class UsageRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  findOrg(orgId: string): Promise<OrgEntity | null> {
    return this.dataSource.getRepository(OrgEntity).findOneBy({ id: orgId });
  }

  /** The org's metered cycles starting at or before `start`, newest first. */
  cyclesUpTo(orgId: string, start: Date, limit: number): Promise<UsageCycleEntity[]> {
    return this.dataSource.getRepository(UsageCycleEntity).find({
      where: { orgId, cycleStart: LessThanOrEqual(start) },
      order: { cycleStart: 'DESC' },
      take: limit,
    });
  }

  /** The org's newest cycles, newest first. */
  async cycles(orgId: string, limit: number): Promise<UsageCycleRow[]> {
    const rows = await this.dataSource.getRepository(UsageCycleEntity).find({
      where: { orgId },
      order: { cycleStart: 'DESC' },
      take: limit,
    });
    return rows.map((r) => ({
      cycleStart: r.cycleStart,
      cycleEnd: r.cycleEnd,
      events: Number(r.events),
      computedAt: r.computedAt,
    }));
  }

  /** The highest events of the current and the last closed cycle (what a new plan must take). */
  async recentPeak(orgId: string): Promise<number> {
    const recent = await this.cycles(orgId, 2);
    return recent.reduce((max, c) => Math.max(max, c.events), 0);
  }
}
