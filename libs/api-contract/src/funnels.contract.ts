import { z } from 'zod';

/**
 * A funnel step: a pageview whose path matches `pattern` (exact, or `*` for one path segment and
 * `**` for any depth, as Plausible's page goals), or a custom event by name. The API checks the
 * pattern's finer rules (wildcards, characters) and answers 400 naming the step.
 */
export const funnelStepSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('page'),
      pattern: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    }),
    z.strictObject({
      kind: z.literal('event'),
      name: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
    }),
  ],
  { error: 'must be { kind: "page", pattern } or { kind: "event", name }' },
);
export type FunnelStepBody = z.infer<typeof funnelStepSchema>;

export const funnelBody = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  steps: z
    .array(funnelStepSchema, { error: 'must be a list of 2 to 8 steps' })
    .min(2, 'a funnel needs at least 2 steps')
    .max(8, 'a funnel has at most 8 steps'),
});
export type FunnelBody = z.infer<typeof funnelBody>;

/** GET /api/sites/:domain/funnels (one element), POST, PUT. */
export interface FunnelView {
  id: string;
  name: string;
  steps: FunnelStepBody[];
  createdAt: string;
  updatedAt: string;
}
