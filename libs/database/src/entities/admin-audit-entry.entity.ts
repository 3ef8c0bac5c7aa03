import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One action taken by support staff. Append-only: a trigger (migration AddSecurityAndAdmin) refuses
 * UPDATE, DELETE and TRUNCATE. No foreign keys, so entries outlive the users and orgs they name.
 */
@Entity({ name: 'admin_audit_log' })
export class AdminAuditEntryEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid', name: 'actor_id' })
  actorId!: string;

  @Column({ type: 'text', name: 'actor_email' })
  actorEmail!: string;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text', name: 'target_type' })
  targetType!: string;

  @Index('admin_audit_log_target_idx')
  @Column({ type: 'text', name: 'target_id' })
  targetId!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details!: Record<string, unknown>;

  @Index('admin_audit_log_created_at_idx')
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
