import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { EmailTokenEntity, type EmailTokenPurpose } from '@sightline/database';

@Injectable()
export class EmailTokenRepository {
  private readonly tokens: Repository<EmailTokenEntity>;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    this.tokens = dataSource.getRepository(EmailTokenEntity);
  }

  async create(fields: {
    userId: string;
    purpose: EmailTokenPurpose;
    tokenHash: string;
    expiresAt: Date;
    newEmail?: string;
  }): Promise<void> {
    await this.tokens.insert({ ...fields, newEmail: fields.newEmail ?? null, usedAt: null });
  }

  /** Marks a live token used and returns it, in one statement, so a token works exactly once. */
  async consume(tokenHash: string, purpose: EmailTokenPurpose): Promise<EmailTokenEntity | null> {
    const rows = (await this.dataSource.query(
      `UPDATE email_tokens SET used_at = now()
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
        RETURNING id, user_id AS "userId", new_email AS "newEmail"`,
      [tokenHash, purpose],
    )) as [Array<Pick<EmailTokenEntity, 'id' | 'userId' | 'newEmail'>>, number];
    const row = rows[0][0];
    return row ? Object.assign(new EmailTokenEntity(), row, { purpose, tokenHash }) : null;
  }

  /** Older unused tokens of the same purpose stop working when a new one is sent or one is used. */
  async invalidate(userId: string, purpose: EmailTokenPurpose): Promise<void> {
    await this.dataSource.query(
      'UPDATE email_tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL',
      [userId, purpose],
    );
  }
}
