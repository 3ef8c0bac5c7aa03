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

/**
 * Tries with exponential backoff (5 s, 10 s, 20 s, … about a day in all), so a Stripe or database
 * outage of hours heals by itself: once the webhook answered 200, Stripe does not send the event
 * again on its own. A job that still fails stays in the queue's failed set and its event keeps
 * `stripe_events.processed_at` NULL; resending the event from Stripe's dashboard queues it again.
 */
export const STRIPE_EVENT_JOB_ATTEMPTS = 15;
export const STRIPE_EVENT_JOB_BACKOFF_MS = 5_000;
