import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface UsageCycleRow {
  cycleStart: Date;
  cycleEnd: Date;
  events: number;
  computedAt: Date | null;
}

/**
 * Reads the usage the workers' metering job wrote (`usage_cycles`), so the billing page, the
 * checkout check and the quota mails all show the same number. Before the workers' migration has
 * run there is no table and no usage.
 */
@Injectable()
export class UsageRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** The org's newest cycles, newest first. */
  async cycles(orgId: string, limit: number): Promise<UsageCycleRow[]> {
    const [exists] = (await this.dataSource.query(
      "SELECT to_regclass('usage_cycles') IS NOT NULL AS ok",
    )) as {
      ok: boolean;
    }[];
    if (!exists?.ok) return [];
    const rows = (await this.dataSource.query(
      'SELECT cycle_start, cycle_end, events, computed_at FROM usage_cycles WHERE org_id = $1 ORDER BY cycle_start DESC LIMIT $2',
      [orgId, limit],
    )) as { cycle_start: Date; cycle_end: Date; events: string | number; computed_at: Date | null }[];
    return rows.map((r) => ({
      cycleStart: new Date(r.cycle_start),
      cycleEnd: new Date(r.cycle_end),
      events: Number(r.events),
      computedAt: r.computed_at ? new Date(r.computed_at) : null,
    }));
  }

  /** The highest events of the current and the last closed cycle (what a new plan must take). */
  async recentPeak(orgId: string): Promise<number> {
    const recent = await this.cycles(orgId, 2);
    return recent.reduce((max, c) => Math.max(max, c.events), 0);
  }
}
