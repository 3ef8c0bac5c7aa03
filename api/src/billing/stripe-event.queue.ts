import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type Stripe from 'stripe';
import {
  STRIPE_EVENT_JOB,
  STRIPE_EVENT_JOB_ATTEMPTS,
  STRIPE_EVENT_JOB_BACKOFF_MS,
  stripeEventJobId,
  type StripeEventJobData,
} from '@sightline/billing';
import { JOBS_QUEUE } from '../common/tokens';

/** Hands verified Stripe events to the workers' stripe-event job (BullMQ, the workers' queue). */
@Injectable()
export class StripeEventQueue {
  constructor(@Inject(JOBS_QUEUE) private readonly queue: Queue) {}

  async enqueue(event: Stripe.Event): Promise<void> {
    const jobId = stripeEventJobId(event.id);
    // A job that failed for good keeps its id in the failed set; Stripe's redelivery starts it again.
    const previous = await this.queue.getJob(jobId);
    if (previous && (await previous.isFailed())) await previous.remove();
    const data: StripeEventJobData = { event };
    await this.queue.add(STRIPE_EVENT_JOB, data, {
      jobId,
      attempts: STRIPE_EVENT_JOB_ATTEMPTS,
      backoff: { type: 'exponential', delay: STRIPE_EVENT_JOB_BACKOFF_MS },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 1000 },
    });
  }
}
