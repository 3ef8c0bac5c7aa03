import { Controller, Headers, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Endpoint } from '../common/endpoint.decorator';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { StripeWebhookService } from './stripe-webhook.service';

/** Path of the webhook; create-api mounts a raw body parser on it (the signature covers the exact bytes). */
export const STRIPE_WEBHOOK_PATH = '/api/stripe/webhook';

@Controller('api/stripe')
export class StripeWebhookController {
  constructor(@Inject(StripeWebhookService) private readonly webhooks: StripeWebhookService) {}

  @Post('webhook')
  // Stripe sends from a few addresses, in bursts after an outage; the signature is the real gate.
  @RateLimit({ points: 1200, per: 'minute', key: 'ip' })
  @HttpCode(200)
  @Endpoint({
    summary: 'Stripe webhook endpoint (signature checked on the raw body; 400 otherwise)',
    access: 'public',
    tag: 'billing',
  })
  receive(
    @Req() req: Request,
    @Headers('stripe-signature') signature: string | undefined,
  ): Promise<{ received: true; duplicate: boolean }> {
    return this.webhooks.receive(req.body, signature);
  }
}
