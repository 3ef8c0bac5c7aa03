import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { SharedLinkEntity } from '@sightline/database';

/** Shared dashboard links. */
@Injectable()
export class SharedLinkRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Inserts the link under a new id, with the hash of the token derived from that id. */
  async create(
    fields: Pick<SharedLinkEntity, 'siteId' | 'label' | 'passwordHash' | 'expiresAt' | 'createdBy'>,
    tokenHashOf: (id: string) => string,
  ): Promise<SharedLinkEntity> {
    const repo = this.dataSource.getRepository(SharedLinkEntity);
    const id = randomUUID();
    return repo.save(repo.create({ ...fields, id, tokenHash: tokenHashOf(id), revokedAt: null }));
  }

  listForSite(siteId: number): Promise<SharedLinkEntity[]> {
    return this.dataSource
      .getRepository(SharedLinkEntity)
      .find({ where: { siteId }, order: { createdAt: 'DESC', id: 'ASC' } });
  }

  /** Revokes once; false for a link of another site or one already revoked. */
  async revoke(siteId: number, id: string): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(SharedLinkEntity)
      .update({ id, siteId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return (result.affected ?? 0) > 0;
  }

  /** The link with its (live) site, or null. */
  findByTokenHash(tokenHash: string): Promise<SharedLinkEntity | null> {
    return this.dataSource
      .getRepository(SharedLinkEntity)
      .findOne({ where: { tokenHash }, relations: { site: true } });
  }
}
