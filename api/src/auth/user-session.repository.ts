import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull, MoreThan, Not, type Repository } from 'typeorm';
import { UserSessionEntity } from '@sightline/database';

@Injectable()
export class UserSessionRepository {
  private readonly sessions: Repository<UserSessionEntity>;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.sessions = dataSource.getRepository(UserSessionEntity);
  }

  create(
    fields: Pick<
      UserSessionEntity,
      'userId' | 'tokenHash' | 'lastSeenAt' | 'expiresAt' | 'country' | 'device'
    >,
  ): Promise<UserSessionEntity> {
    return this.sessions.save(this.sessions.create({ ...fields, revokedAt: null }));
  }

  /** A session that is not revoked, not past its absolute expiry and seen since `idleCutoff`. */
  findLive(tokenHash: string, now: Date, idleCutoff: Date): Promise<UserSessionEntity | null> {
    return this.sessions.findOneBy({
      tokenHash,
      revokedAt: IsNull(),
      expiresAt: MoreThan(now),
      lastSeenAt: MoreThan(idleCutoff),
    });
  }

  listLive(userId: string, now: Date, idleCutoff: Date): Promise<UserSessionEntity[]> {
    return this.sessions.find({
      where: { userId, revokedAt: IsNull(), expiresAt: MoreThan(now), lastSeenAt: MoreThan(idleCutoff) },
      order: { lastSeenAt: 'DESC' },
    });
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.sessions.update({ id }, { lastSeenAt: at });
  }

  /** Revokes one of the user's sessions; returns false when it is not theirs or already gone. */
  async revoke(userId: string, id: string): Promise<boolean> {
    const result = await this.sessions.update({ id, userId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return (result.affected ?? 0) > 0;
  }

  async revokeAll(userId: string, exceptId?: string): Promise<void> {
    await this.sessions.update(
      exceptId ? { userId, revokedAt: IsNull(), id: Not(exceptId) } : { userId, revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
  }
}
