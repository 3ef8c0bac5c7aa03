import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull, type Repository } from 'typeorm';
import { RecoveryCodeEntity, UserEntity } from '@sightline/database';

/** TOTP columns of `users` and the `user_recovery_codes` table. */
@Injectable()
export class TwoFactorRepository {
  private readonly users: Repository<UserEntity>;
  private readonly codes: Repository<RecoveryCodeEntity>;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    this.users = dataSource.getRepository(UserEntity);
    this.codes = dataSource.getRepository(RecoveryCodeEntity);
  }

  async setPendingSecret(userId: string, secret: string): Promise<void> {
    await this.users.update({ id: userId }, { totpPendingSecret: secret });
  }

  /** Turns the pending secret on and replaces the recovery codes, in one transaction. */
  async enable(userId: string, secret: string, step: number, codeHashes: string[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(UserEntity).update(
        { id: userId },
        {
          totpSecret: secret,
          totpPendingSecret: null,
          totpEnabledAt: new Date(),
          totpLastStep: String(step),
        },
      );
      await manager.getRepository(RecoveryCodeEntity).delete({ userId });
      await manager
        .getRepository(RecoveryCodeEntity)
        .insert(codeHashes.map((codeHash) => ({ userId, codeHash, usedAt: null })));
    });
  }

  async disable(userId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager
        .getRepository(UserEntity)
        .update(
          { id: userId },
          { totpSecret: null, totpPendingSecret: null, totpEnabledAt: null, totpLastStep: null },
        );
      await manager.getRepository(RecoveryCodeEntity).delete({ userId });
    });
  }

  /**
   * Records `step` as used if it is later than the last used one, in one statement; false means
   * the code was already used (or an older one), so two parallel requests cannot both pass.
   */
  async claimStep(userId: string, step: number): Promise<boolean> {
    const [, affected] = (await this.dataSource.query(
      `UPDATE users SET totp_last_step = $2
        WHERE id = $1 AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $2)`,
      [userId, step],
    )) as [unknown, number];
    return affected > 0;
  }

  /** Marks an unused recovery code used; false when there is none with this hash. */
  async useRecoveryCode(userId: string, codeHash: string): Promise<boolean> {
    const result = await this.codes.update({ userId, codeHash, usedAt: IsNull() }, { usedAt: new Date() });
    return (result.affected ?? 0) > 0;
  }

  countUnusedRecoveryCodes(userId: string): Promise<number> {
    return this.codes.countBy({ userId, usedAt: IsNull() });
  }
}
