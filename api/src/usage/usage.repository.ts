import { Inject, Injectable } from '@nestjs/common';
import { DataSource, LessThanOrEqual } from 'typeorm';
import { OrgEntity, UsageCycleEntity } from '@sightline/database';

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
}
