import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { SiteEntity } from './site.entity';
import { UserEntity } from './user.entity';

/**
 * A member's email-report opt-in for one site. `weeklySince` / `monthlySince` are null when off,
 * else when the member opted in: only periods that ended after it are sent. `tokenVersion` is
 * part of every unsubscribe link; unsubscribing bumps it, so a link works once.
 */
@Entity({ name: 'report_subscriptions' })
export class ReportSubscriptionEntity {
  @PrimaryColumn({ type: 'integer', name: 'site_id', primaryKeyConstraintName: 'report_subscriptions_pkey' })
  siteId!: number;

  @Index('report_subscriptions_user_id_idx')
  @PrimaryColumn({ type: 'uuid', name: 'user_id', primaryKeyConstraintName: 'report_subscriptions_pkey' })
  userId!: string;

  @ManyToOne(() => SiteEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'site_id', foreignKeyConstraintName: 'report_subscriptions_site_id_fkey' })
  site?: SiteEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'report_subscriptions_user_id_fkey' })
  user?: UserEntity;

  @Column({ type: 'timestamptz', name: 'weekly_since', nullable: true })
  weeklySince!: Date | null;

  @Column({ type: 'timestamptz', name: 'monthly_since', nullable: true })
  monthlySince!: Date | null;

  @Column({ type: 'integer', name: 'token_version', default: 0 })
  tokenVersion!: number;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
