import { EVENT_LIMITS, WEB_VITAL_MAX, WEB_VITAL_METRICS } from '@sightline/events';

const L = EVENT_LIMITS;

/** The body of `POST /api/vitals` as the tracker's vitals extension sends it. */
export interface IncomingVitals {
  domain: string;
  url: string;
  lcp?: number;
  inp?: number;
  cls?: number;
  fcp?: number;
  ttfb?: number;
}

/**
 * JSON schema of `POST /api/vitals`. Every metric is optional (a page hidden before its first paint
 * has none), but each present one must be a finite number from 0 to its maximum (JSON has no NaN;
 * `1e999` parses as Infinity and fails the maximum). Unknown fields are refused: this body has no
 * other clients to be tolerant of.
 */
export const vitalsBodySchema = {
  type: 'object',
  required: ['domain', 'url'],
  additionalProperties: false,
  properties: {
    domain: { type: 'string', minLength: 1, maxLength: L.domainLength },
    url: { type: 'string', minLength: 1, maxLength: L.urlLength },
    ...Object.fromEntries(
      WEB_VITAL_METRICS.map((m) => [m, { type: 'number', minimum: 0, maximum: WEB_VITAL_MAX[m] }]),
    ),
  },
} as const;
