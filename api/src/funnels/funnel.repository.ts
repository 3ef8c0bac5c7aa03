import { Inject, Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError } from 'typeorm';
import { FunnelEntity, type FunnelStepRecord } from '@sightline/database';

/** Thrown when (site, name) is already taken; the service turns it into a 409. */
export class FunnelNameTakenError extends Error {}

@Injectable()
export class FunnelRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(FunnelEntity);
  }

  list(siteId: number): Promise<FunnelEntity[]> {
    return this.repo.find({ where: { siteId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  count(siteId: number): Promise<number> {
    return this.repo.countBy({ siteId });
  }

  /** One funnel of this site only (the site scope is part of every lookup). */
  find(siteId: number, id: string): Promise<FunnelEntity | null> {
    return this.repo.findOneBy({ siteId, id });
  }

  async create(siteId: number, name: string, steps: FunnelStepRecord[]): Promise<FunnelEntity> {
    try {
      return await this.repo.save(this.repo.create({ siteId, name, steps }));
    } catch (err) {
      throw uniqueViolation(err) ? new FunnelNameTakenError() : err;
    }
  }

  async update(funnel: FunnelEntity, name: string, steps: FunnelStepRecord[]): Promise<FunnelEntity> {
    try {
      await this.repo.update({ id: funnel.id, siteId: funnel.siteId }, { name, steps });
    } catch (err) {
      throw uniqueViolation(err) ? new FunnelNameTakenError() : err;
    }
    return (await this.find(funnel.siteId, funnel.id)) as FunnelEntity;
  }

  async delete(siteId: number, id: string): Promise<boolean> {
    const result = await this.repo.delete({ siteId, id });
    return (result.affected ?? 0) > 0;
  }
}

function uniqueViolation(err: unknown): boolean {
  return err instanceof QueryFailedError && (err.driverError as { code?: string }).code === '23505';
}
