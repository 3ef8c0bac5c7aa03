import { EVENT_LIMITS } from '@sightline/events';

const L = EVENT_LIMITS;

/**
 * JSON schema of `POST /api/event` (Plausible Events API shape). Over-long fields are rejected,
 * not truncated, so a client learns about the problem instead of silently losing data. Bodies with
 * Plausible's one-letter keys are rewritten to these long keys first (event-body.normalizer.ts).
 */
export const eventBodySchema = {
  type: 'object',
  required: ['name', 'url', 'domain'],
  additionalProperties: true, // tolerate fields newer trackers may send; only known ones are stored
  properties: {
    name: { type: 'string', minLength: 1, maxLength: L.nameLength },
    url: { type: 'string', minLength: 1, maxLength: L.urlLength },
    domain: { type: 'string', minLength: 1, maxLength: L.domainLength },
    referrer: { type: ['string', 'null'], maxLength: L.referrerLength },
    props: {
      type: ['object', 'null'],
      maxProperties: L.propsCount,
      propertyNames: { minLength: 1, maxLength: L.propKeyLength },
      additionalProperties: { type: ['string', 'number', 'boolean', 'null'], maxLength: L.propValueLength },
    },
    revenue: {
      type: ['object', 'null'],
      required: ['amount', 'currency'],
      additionalProperties: false,
      properties: {
        amount: { type: ['number', 'string'], maxLength: 32 },
        currency: { type: 'string', pattern: '^[A-Za-z]{3}$' },
      },
    },
    interactive: { type: 'boolean' },
    hashMode: { type: ['boolean', 'integer', 'null'] },
    // Ranges are checked by the enricher (engagement events only), with their own error codes.
    scroll_depth: { type: ['number', 'null'] },
    engagement_time: { type: ['number', 'null'] },
  },
} as const;
