import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull, type EntityManager, type Repository } from 'typeorm';
import { ApiKeyEntity } from '@sightline/database';

@Injectable()
export class ApiKeyRepository {
  private readonly keys: Repository<ApiKeyEntity>;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.keys = dataSource.getRepository(ApiKeyEntity);
  }

  create(
    fields: Pick<ApiKeyEntity, 'orgId' | 'name' | 'prefix' | 'keyHash' | 'createdBy'>,
  ): Promise<ApiKeyEntity> {
    return this.keys.save(this.keys.create({ ...fields, lastUsedAt: null, revokedAt: null }));
  }

  listActive(orgId: string): Promise<ApiKeyEntity[]> {
    return this.keys.find({ where: { orgId, revokedAt: IsNull() }, order: { createdAt: 'DESC' } });
  }

  findActiveByHash(keyHash: string): Promise<ApiKeyEntity | null> {
    return this.keys.findOneBy({ keyHash, revokedAt: IsNull() });
  }

  async markUsed(id: string, at: Date): Promise<void> {
    await this.keys.update({ id }, { lastUsedAt: at });
  }

  async revoke(orgId: string, id: string): Promise<boolean> {
    const result = await this.keys.update({ orgId, id, revokedAt: IsNull() }, { revokedAt: new Date() });
    return (result.affected ?? 0) > 0;
  }

  /** Revokes every live key one member created in the org; the number revoked. */
  async revokeCreatedBy(orgId: string, userId: string, manager?: EntityManager): Promise<number> {
    const result = await (manager ?? this.keys.manager).update(
      ApiKeyEntity,
      { orgId, createdBy: userId, revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
    return result.affected ?? 0;
  }
}
