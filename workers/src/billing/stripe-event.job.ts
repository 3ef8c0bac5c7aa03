import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import {
  BillingStore,
  STRIPE_EVENT_JOB,
  STRIPE_EVENT_JOB_ATTEMPTS,
  SubscriptionSync,
  type StripeEventJobData,
} from '@sightline/billing';
import { MINUTE, type JobContext, type JobResult, type QueuedJob } from '../jobs/scheduled-job';

/**
 * stripe-event: one verified Stripe webhook event, queued by the api's webhook route (which
 * answers 200 at once). Fetches the customer's current subscription from Stripe and writes it,
 * sends the event's mail (each claimed once in billing_mails), refreshes the ingest's capacity
 * decisions and marks the event processed. Idempotent: Stripe's state is written whole, so a
 * retry, a redelivery or an older event handled late all end in the same state.
 */
@Injectable()
export class StripeEventJob implements QueuedJob<StripeEventJobData> {
  readonly name = STRIPE_EVENT_JOB;
  readonly description = 'Sync a Stripe webhook event: current subscription → Postgres, its mails, capacity';
  readonly timeoutMs = 2 * MINUTE;
  readonly attempts = STRIPE_EVENT_JOB_ATTEMPTS;

  constructor(
    @Inject(SubscriptionSync) private readonly sync: SubscriptionSync | null,
    @Inject(BillingStore) private readonly store: BillingStore,
  ) {}

  async run(data: StripeEventJobData, ctx: JobContext): Promise<JobResult> {
    const event = data?.event;
    if (!event || typeof event.id !== 'string' || typeof event.type !== 'string')
      throw new UnrecoverableError('stripe-event job without an event');
    // Billing off here but on in the api: a configuration error that retries cannot fix.
    if (!this.sync) throw new UnrecoverableError('billing is not configured (no STRIPE_SECRET_KEY)');
    if (await this.store.isEventProcessed(event.id)) return { event: event.id, skipped: 'already processed' };
    const orgId = await this.sync.handleEvent(event);
    await this.store.markEventProcessed(event.id, orgId);
    ctx.logger.info({ event: event.id, type: event.type, org: orgId }, 'stripe event handled');
    return { event: event.id, type: event.type, org: orgId ?? 'none' };
  }
}
