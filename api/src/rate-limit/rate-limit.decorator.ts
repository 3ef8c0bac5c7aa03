import { SetMetadata } from '@nestjs/common';

/**
 * Whose budget a request spends: `user` is the signed-in user (or the API key; the address on
 * public routes), `ip` the client address, `org` the org the route acts on (its `:orgId`, or the
 * org of its `:domain` site), counted only once the caller is shown to be a member of that org.
 */
export type RateLimitKey = 'user' | 'ip' | 'org';
export type RateLimitPeriod = 'second' | 'minute' | 'hour' | 'day';

export interface RateLimitSpec {
  points: number;
  per: RateLimitPeriod;
  key: RateLimitKey;
}

export const RATE_LIMIT_KEY = 'sightline:rate-limit';

export const PERIOD_SECONDS: Record<RateLimitPeriod, number> = {
  second: 1,
  minute: 60,
  hour: 3600,
  day: 86_400,
};

/**
 * Declares a route's request budgets next to its @Endpoint, e.g.
 * `@RateLimit({ points: 5, per: 'minute', key: 'user' })`. Every budget is charged on each call;
 * the first one exhausted answers 429 `rate_limited` with `Retry-After`.
 */
export function RateLimit(...specs: RateLimitSpec[]): MethodDecorator {
  if (specs.length === 0) throw new Error('@RateLimit needs at least one budget');
  for (const spec of specs)
    if (!Number.isInteger(spec.points) || spec.points < 1)
      throw new Error(`@RateLimit points must be a positive integer, got ${spec.points}`);
  return SetMetadata(RATE_LIMIT_KEY, specs);
}

export function rateLimitsOf(handler: object): readonly RateLimitSpec[] {
  return (Reflect.getMetadata(RATE_LIMIT_KEY, handler) as RateLimitSpec[] | undefined) ?? [];
}

/** `5 / minute per user`, as the README table shows it. */
export function describeRateLimit(spec: RateLimitSpec): string {
  return `${spec.points} / ${spec.per} per ${spec.key}`;
}
