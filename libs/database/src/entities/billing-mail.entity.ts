import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Every billing and quota mail sent, under a key that names the occasion (e.g.
 * `usage-80:<cycle start>`), so a rerun of a job or a redelivered webhook never sends it twice.
 */
@Entity({ name: 'billing_mails' })
@Index('billing_mails_org_id_key_key', ['orgId', 'key'], { unique: true })
export class BillingMailEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'uuid', name: 'org_id' })
  orgId!: string;

  @Column({ type: 'text' })
  key!: string;

  @Column({ type: 'text' })
  kind!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'sent_at' })
  sentAt!: Date;
}
