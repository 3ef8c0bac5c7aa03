import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The tenant: owns sites, API keys and (later) the billing profile. */
@Entity({ name: 'orgs' })
export class OrgEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  /** Start of the usage cycles (day of month and time); set by billing. Until then `createdAt` is the anchor. */
  @Column({ type: 'timestamptz', name: 'billing_anchor_at', nullable: true })
  billingAnchorAt!: Date | null;
}
