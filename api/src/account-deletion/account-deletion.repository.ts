import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull, Not, type Repository } from 'typeorm';
import { UserEntity } from '@sightline/database';

/**
 * The API's side of account deletion: the soft delete and support's early approval. The hard
 * delete is the workers' account-deletion job (workers/src/account-deletion).
 */
@Injectable()
export class AccountDeletionRepository {
  private readonly users: Repository<UserEntity>;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    this.users = dataSource.getRepository(UserEntity);
  }

  async markDeleted(userId: string, at: Date): Promise<void> {
    await this.users.update({ id: userId }, { deletedAt: at });
  }

  isMarkedDeleted(userId: string): Promise<boolean> {
    return this.users.existsBy({ id: userId, deletedAt: Not(IsNull()) });
  }

  /** Moves the request back past the window, so the job's next run deletes the account. */
  async moveRequestBefore(userId: string, at: Date): Promise<boolean> {
    const [, affected] = (await this.dataSource.query(
      'UPDATE users SET deleted_at = LEAST(deleted_at, $2) WHERE id = $1 AND deleted_at IS NOT NULL',
      [userId, at],
    )) as [unknown, number];
    return affected > 0;
  }
}
