import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UsageCycleEntity } from '@sightline/database';

export interface UsageCycleRow {
  cycleStart: Date;
  cycleEnd: Date;
  events: number;
  computedAt: Date | null;
}

/**
 * Reads the usage the workers' metering job wrote (`usage_cycles`), so the billing page, the
 * checkout check and the quota mails all show the same number.
 */
@Injectable()
export class BillingUsageRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

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
