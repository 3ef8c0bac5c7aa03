import { describe, it, expect } from 'vitest';
import { isReferrerSpam } from './referrer-spam';
import { REFERRER_SPAM_DOMAINS } from './referrer-spam-domains';

describe('isReferrerSpam', () => {
  it.each([
    'semalt.com',
    'buttons-for-website.com',
    'darodar.com',
    'ilovevitaly.com',
    'priceg.com',
    'blackhatworth.com',
    'hulfingtonpost.com',
    '7makemoneyonline.com',
    'best-seo-offer.com',
  ])('flags %s', (host) => {
    expect(isReferrerSpam(host)).toBe(true);
  });

  it('flags subdomains, www., upper case, ports and trailing dots', () => {
    expect(isReferrerSpam('semalt.semalt.com')).toBe(true);
    expect(isReferrerSpam('site1.free-share-buttons.com')).toBe(true);
    expect(isReferrerSpam('www.darodar.com')).toBe(true);
    expect(isReferrerSpam('ILoveVitaly.COM')).toBe(true);
    expect(isReferrerSpam('darodar.com:8080')).toBe(true);
    expect(isReferrerSpam('darodar.com.')).toBe(true);
  });

  it('accepts a normalised host/path referrer or a full URL', () => {
    expect(isReferrerSpam('semalt.semalt.com/crawler.php')).toBe(true);
    expect(isReferrerSpam('https://www.semalt.com/?u=x')).toBe(true);
  });

  it.each(['google.com', 'example.com', 'notsemalt.com', 'semalt.com.example.org', 'darodar.co', '', 'com'])(
    'lets %j through',
    (host) => {
      expect(isReferrerSpam(host)).toBe(false);
    },
  );

  it('stores the list in canonical form (lower case, no www., no duplicates by construction)', () => {
    expect(REFERRER_SPAM_DOMAINS.size).toBeGreaterThanOrEqual(60);
    for (const domain of REFERRER_SPAM_DOMAINS) {
      expect(domain).toMatch(/^(?!www\.)[a-z0-9-]+(?:\.[a-z0-9-]+)+$/);
    }
  });
});
