import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { OrgEntity } from './org.entity';

/**
 * Where an org stands with its event quota (the quota state machine in libs/plans writes it):
 * ok, grace (until grace_ends_at) or locked (stats view answers 402; ingestion continues).
 */
@Entity({ name: 'quota_states' })
export class QuotaStateEntity {
  @PrimaryColumn({ type: 'uuid', name: 'org_id' })
  orgId!: string;

  @OneToOne(() => OrgEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'quota_states_org_id_fkey' })
  org?: OrgEntity;

  /** ok | grace | locked */
  @Column({ type: 'text', default: 'ok' })
  state!: string;

  /** Why the org is in grace or locked, in words for the owner. */
  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'timestamptz', name: 'grace_started_at', nullable: true })
  graceStartedAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'grace_ends_at', nullable: true })
  graceEndsAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'locked_at', nullable: true })
  lockedAt!: Date | null;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
