import { Inject, Injectable } from '@nestjs/common';
import type { FunnelBody, FunnelView } from '@sightline/api-contract';
import type { FunnelEntity } from '@sightline/database';
import { FunnelRunner, funnelStepsProblems, type AuthorizedSite, type FunnelResult } from '@sightline/query';
import { conflict, invalid, notFound } from '../common/domain-error';
import { isUuid } from '../orgs/org-access.service';
import { FunnelNameTakenError, FunnelRepository } from './funnel.repository';

/** Funnels a site may keep (each is one ClickHouse query when viewed). */
export const MAX_FUNNELS_PER_SITE = 50;

function toView(funnel: FunnelEntity): FunnelView {
  return {
    id: funnel.id,
    name: funnel.name,
    steps: funnel.steps,
    createdAt: funnel.createdAt.toISOString(),
    updatedAt: funnel.updatedAt.toISOString(),
  };
}

/** A site's funnels: the rules for storing them, and running one through the query engine. */
@Injectable()
export class FunnelsService {
  constructor(
    @Inject(FunnelRepository) private readonly funnels: FunnelRepository,
    @Inject(FunnelRunner) private readonly runner: FunnelRunner,
  ) {}

  async list(siteId: number): Promise<FunnelView[]> {
    return (await this.funnels.list(siteId)).map(toView);
  }

  async create(siteId: number, body: FunnelBody): Promise<FunnelView> {
    await this.check(siteId, body, null);
    if ((await this.funnels.count(siteId)) >= MAX_FUNNELS_PER_SITE)
      throw conflict(
        'funnel_limit_reached',
        `A site can have at most ${MAX_FUNNELS_PER_SITE} funnels; delete one you no longer use`,
      );
    return toView(await this.saving(() => this.funnels.create(siteId, body.name, body.steps)));
  }

  async update(siteId: number, id: string, body: FunnelBody): Promise<FunnelView> {
    const funnel = await this.require(siteId, id);
    await this.check(siteId, body, funnel.id);
    return toView(await this.saving(() => this.funnels.update(funnel, body.name, body.steps)));
  }

  async delete(siteId: number, id: string): Promise<void> {
    if (!isUuid(id) || !(await this.funnels.delete(siteId, id))) throw notFound('Funnel');
  }

  async query(site: AuthorizedSite, id: string, body: unknown): Promise<FunnelResult> {
    const funnel = await this.require(site.id, id);
    return this.runner.run(site, { id: funnel.id, name: funnel.name, steps: funnel.steps }, body);
  }

  private async require(siteId: number, id: string): Promise<FunnelEntity> {
    const funnel = isUuid(id) ? await this.funnels.find(siteId, id) : null;
    if (!funnel) throw notFound('Funnel');
    return funnel;
  }

  /** Step rules beyond the body's shape, then a case-insensitively unique name. */
  private async check(siteId: number, body: FunnelBody, selfId: string | null): Promise<void> {
    const [problem] = funnelStepsProblems(body.steps);
    if (problem) throw invalid(problem[0], problem[1]);
    const name = body.name.toLowerCase();
    const taken = (await this.funnels.list(siteId)).some(
      (f) => f.id !== selfId && f.name.toLowerCase() === name,
    );
    if (taken) throw nameTaken();
  }

  private async saving(save: () => Promise<FunnelEntity>): Promise<FunnelEntity> {
    try {
      return await save();
    } catch (err) {
      throw err instanceof FunnelNameTakenError ? nameTaken() : err;
    }
  }
}

const nameTaken = () =>
  conflict('funnel_name_taken', 'This site already has a funnel with that name', 'name');
