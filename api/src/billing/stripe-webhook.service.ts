import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type Stripe from 'stripe';
import { DomainError } from '../common/domain-error';
import { LOGGER } from '../common/tokens';
import { BillingRepository } from './billing.repository';
import { StripeClient } from './stripe.client';
import { StripeEventQueue } from './stripe-event.queue';

const badSignature = (why: string) =>
  new DomainError(400, 'invalid_signature', `Webhook signature check failed: ${why}`);

/**
 * Verifies and stores Stripe webhook events once, and hands each to the workers' stripe-event job,
 * so the answer is fast (Stripe times out slow endpoints and redelivers). If storing or enqueueing
 * fails, the request fails and Stripe's redelivery tries again; an event stored but never
 * processed (its job failed all its tries, about a day) is enqueued again when it is resent.
 */
@Injectable()
export class StripeWebhookService {
  constructor(
    @Inject(StripeClient) private readonly stripe: StripeClient,
    @Inject(BillingRepository) private readonly billing: BillingRepository,
    @Inject(StripeEventQueue) private readonly queue: StripeEventQueue,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async receive(
    body: unknown,
    signature: string | undefined,
  ): Promise<{ received: true; duplicate: boolean }> {
    if (!Buffer.isBuffer(body)) throw badSignature('no raw body');
    if (!signature) throw badSignature('missing Stripe-Signature header');
    let event: Stripe.Event;
    try {
      event = this.stripe.constructEvent(body, signature);
    } catch (err) {
      if (err instanceof DomainError) throw err;
      throw badSignature((err as Error).message.split('\n')[0] ?? 'mismatch');
    }
    const claim = await this.billing.claimEvent(event.id, event.type);
    if (claim === 'duplicate') return { received: true, duplicate: true };
    await this.queue.enqueue(event);
    this.logger.info({ event: event.id, type: event.type, claim }, 'stripe event queued');
    return { received: true, duplicate: false };
  }
}
