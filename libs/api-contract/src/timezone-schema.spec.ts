import { describe, expect, it } from 'vitest';
import { createSiteBody, timezoneSchema } from './sites.contract';

describe('timezoneSchema', () => {
  it('stores the canonical spelling of a zone', () => {
    expect(timezoneSchema.parse('europe/berlin')).toBe('Europe/Berlin');
    expect(timezoneSchema.parse('AMERICA/NEW_YORK')).toBe('America/New_York');
    expect(createSiteBody.parse({ domain: 'example.com', timezone: 'asia/tokyo' }).timezone).toBe(
      'Asia/Tokyo',
    );
  });

  it('refuses unknown zones with a clear message', () => {
    const result = timezoneSchema.safeParse('Mars/Olympus');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/IANA timezone/);
  });
});
