import { Inject, Injectable } from '@nestjs/common';
import type { OrgUsageView, UsageCycleView } from '@sightline/api-contract';
import type { UsageCycleEntity } from '@sightline/database';
import { billingAnchor, cycleContaining } from '@sightline/usage';
import { notFound } from '../common/domain-error';
import { UsageRepository } from './usage.repository';

/** Reads what the workers' usage-metering job stored; the API never counts events itself. */
@Injectable()
export class UsageService {
  constructor(@Inject(UsageRepository) private readonly usage: UsageRepository) {}

  async forOrg(orgId: string, now = new Date()): Promise<OrgUsageView> {
    const org = await this.usage.findOrg(orgId);
    if (!org) throw notFound('Org');
    const current = cycleContaining(billingAnchor(org), now);
    const rows = await this.usage.cyclesUpTo(orgId, current.start, 3);
    const currentRow = rows.find((r) => r.cycleStart.getTime() === current.start.getTime());
    return {
      orgId,
      current: currentRow
        ? toView(currentRow)
        : { start: current.start.toISOString(), end: current.end.toISOString(), events: 0, computedAt: null },
      previous: rows
        .filter((r) => r.cycleStart.getTime() < current.start.getTime())
        .slice(0, 2)
        .map(toView),
    };
  }
}

function toView(row: UsageCycleEntity): UsageCycleView {
  return {
    start: row.cycleStart.toISOString(),
    end: row.cycleEnd.toISOString(),
    events: Number(row.events),
    computedAt: row.computedAt.toISOString(),
  };
}
