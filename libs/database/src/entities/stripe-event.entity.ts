import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Every Stripe webhook event received, stored once by its id (duplicates are answered 200 and skipped). */
@Entity({ name: 'stripe_events' })
export class StripeEventEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  type!: string;

  /** The org the event was about, when known. */
  @Column({ type: 'uuid', name: 'org_id', nullable: true })
  orgId!: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'received_at' })
  receivedAt!: Date;

  /** Null while being handled or after a failure (a redelivery then handles it again). */
  @Column({ type: 'timestamptz', name: 'processed_at', nullable: true })
  processedAt!: Date | null;
}
