import type Stripe from 'stripe';

/**
 * The workers' job that handles one verified Stripe webhook event. The api's webhook route checks
 * the signature, stores the event id once and enqueues this job on the workers' queue, then
 * answers 200 at once; the job fetches the current subscription from Stripe and writes it.
 */
export const STRIPE_EVENT_JOB = 'stripe-event';

export interface StripeEventJobData {
  event: Stripe.Event;
}

/** One job per event id: a redelivery while the job is waiting or running adds nothing. */
export const stripeEventJobId = (eventId: string) => `stripe-${eventId}`;

/** Tries with exponential backoff (2 s, 4 s, … about 4 minutes in all); Stripe's redelivery comes after. */
export const STRIPE_EVENT_JOB_ATTEMPTS = 8;
export const STRIPE_EVENT_JOB_BACKOFF_MS = 2_000;
