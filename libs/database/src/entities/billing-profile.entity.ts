import { Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { OrgEntity } from './org.entity';

/**
 * The org's billing profile: its plan and the Stripe subscription it pays with, as last fetched
 * from Stripe (Stripe is the source of truth; webhooks only trigger a fetch). An org without a
 * row is on the free plan.
 */
@Entity({ name: 'billing_profiles' })
export class BillingProfileEntity {
  @PrimaryColumn({ type: 'uuid', name: 'org_id' })
  orgId!: string;

  @OneToOne(() => OrgEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'billing_profiles_org_id_fkey' })
  org?: OrgEntity;

  /** free | basic | premium (libs/plans). */
  @Column({ type: 'text', name: 'plan_code', default: 'free' })
  planCode!: string;

  /** The plan generation whose terms this org keeps. */
  @Column({ type: 'integer', name: 'plan_generation', default: 1 })
  planGeneration!: number;

  /** monthly | yearly, null on the free plan. */
  @Column({ type: 'text', name: 'billing_interval', nullable: true })
  billingInterval!: string | null;

  @Index('billing_profiles_stripe_customer_id_key', { unique: true })
  @Column({ type: 'text', name: 'stripe_customer_id', nullable: true })
  stripeCustomerId!: string | null;

  @Column({ type: 'text', name: 'stripe_subscription_id', nullable: true })
  stripeSubscriptionId!: string | null;

  /** Stripe's subscription status (active, trialing, past_due, unpaid, canceled, incomplete, ...). */
  @Column({ type: 'text', name: 'subscription_status', nullable: true })
  subscriptionStatus!: string | null;

  @Column({ type: 'timestamptz', name: 'current_period_start', nullable: true })
  currentPeriodStart!: Date | null;

  @Column({ type: 'timestamptz', name: 'current_period_end', nullable: true })
  currentPeriodEnd!: Date | null;

  @Column({ type: 'boolean', name: 'cancel_at_period_end', default: false })
  cancelAtPeriodEnd!: boolean;

  /** Failed payment attempts of the open invoice (0 when paid). */
  @Column({ type: 'integer', name: 'failed_payment_attempts', default: 0 })
  failedPaymentAttempts!: number;

  /** Set by support: the next plan change skips the "usage does not fit" check once. */
  @Column({ type: 'boolean', name: 'plan_check_override', default: false })
  planCheckOverride!: boolean;

  /** When the state was last written from Stripe. */
  @Column({ type: 'timestamptz', name: 'synced_at', nullable: true })
  syncedAt!: Date | null;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
