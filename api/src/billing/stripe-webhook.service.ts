import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type Stripe from 'stripe';
import { DomainError } from '../common/domain-error';
import { LOGGER } from '../common/tokens';
import { BillingRepository } from './billing.repository';
import { BillingService } from './billing.service';
import { StripeClient } from './stripe.client';

const badSignature = (why: string) =>
  new DomainError(400, 'invalid_signature', `Webhook signature check failed: ${why}`);

/**
 * Verifies, stores once, and handles Stripe webhook events. Handling is one fetch of the
 * customer's subscriptions from Stripe and one write, so it answers well within Stripe's timeout;
 * if it fails, the event stays unprocessed and Stripe's redelivery handles it again.
 */
@Injectable()
export class StripeWebhookService {
  constructor(
    @Inject(StripeClient) private readonly stripe: StripeClient,
    @Inject(BillingRepository) private readonly billing: BillingRepository,
    @Inject(BillingService) private readonly service: BillingService,
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
    const orgId = await this.service.handleEvent(event);
    await this.billing.markEventProcessed(event.id, orgId);
    this.logger.info({ event: event.id, type: event.type, org: orgId }, 'stripe event handled');
    return { received: true, duplicate: false };
  }
}
