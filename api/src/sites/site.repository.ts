import { Inject, Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError, type Repository } from 'typeorm';
import { conflict } from '../common/domain-error';
import { SiteEntity } from '@sightline/database';

@Injectable()
export class SiteRepository {
  private readonly sites: Repository<SiteEntity>;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.sites = dataSource.getRepository(SiteEntity);
  }

  findByDomain(domain: string): Promise<SiteEntity | null> {
    return this.sites.findOneBy({ domain });
  }

  listForOrg(orgId: string): Promise<SiteEntity[]> {
    return this.sites.find({ where: { orgId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Inserts; a domain that is already registered (by anyone) is a 409 on `domain`. */
  async create(fields: Pick<SiteEntity, 'orgId' | 'domain' | 'name' | 'timezone'>): Promise<SiteEntity> {
    try {
      return await this.sites.save(this.sites.create({ ...fields, allowedHostnames: [] }));
    } catch (err) {
      if (err instanceof QueryFailedError && (err.driverError as { code?: string }).code === '23505')
        throw conflict('domain_taken', 'This domain is already registered', 'domain');
      throw err;
    }
  }

  async update(
    id: number,
    fields: Partial<Pick<SiteEntity, 'name' | 'timezone' | 'allowedHostnames' | 'currency'>>,
  ): Promise<void> {
    await this.sites.update({ id }, fields);
  }

  /** Soft delete: the row stays (hidden from every find) until the workers' retention sweep removes its data. */
  async softDelete(id: number): Promise<void> {
    await this.sites.softDelete({ id });
  }
}
