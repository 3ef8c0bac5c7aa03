import { truncate } from './truncate';

/** Campaign values are free text from the page URL; longer ones are truncated, not rejected. */
export const MAX_UTM_LENGTH = 2000;

export interface UtmParams {
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_content: string;
  utm_term: string;
  /** `?ref=` or, failing that, `?source=` (Product Hunt, Hacker News tools and others tag this way). */
  ref: string;
}

/**
 * Campaign parameters of a page URL, trimmed and capped, '' when absent. Names are matched exactly
 * (`utm_source`, not `UTM_SOURCE`), as in Plausible and Google Analytics.
 */
export function extractUtm(url: URL): UtmParams {
  const params = url.searchParams;
  const read = (name: string): string => truncate((params.get(name) ?? '').trim(), MAX_UTM_LENGTH);
  return {
    utm_source: read('utm_source'),
    utm_medium: read('utm_medium'),
    utm_campaign: read('utm_campaign'),
    utm_content: read('utm_content'),
    utm_term: read('utm_term'),
    ref: read('ref') || read('source'),
  };
}
