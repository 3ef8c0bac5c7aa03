import { describe, expect, it } from 'vitest';
import type { EventRow } from './event-row';
import { formatClickHouseDateTime, serializeEventRow } from './event-row-serializer';

const row: EventRow = {
  site_id: 7,
  timestamp: '2026-11-22 03:04:05',
  name: 'pageview',
  hostname: 'example.com',
  pathname: '/a"b\\c',
  referrer: '',
  referrer_source: '',
  utm_source: '',
  utm_medium: '',
  utm_campaign: '',
  utm_content: '',
  utm_term: '',
  country_code: 'DE',
  browser: 'Firefox',
  browser_version: '133.0',
  os: 'GNU/Linux',
  os_version: '',
  device: 'Desktop',
  visitor_id: 18446744073709551615n,
  session_id: 9007199254740993n,
  event_id: 12345678901234567890n,
  props_keys: ['plan'],
  props_values: ['pro'],
  revenue_amount: 0,
  revenue_currency: '',
};

describe('serializeEventRow', () => {
  it('writes 64-bit ids as exact integer literals', () => {
    const line = serializeEventRow(row);
    expect(line).toContain('"visitor_id":18446744073709551615');
    expect(line).toContain('"session_id":9007199254740993');
    expect(line).toContain('"event_id":12345678901234567890');
  });

  it('produces one line of valid JSON with every column', () => {
    const line = serializeEventRow(row);
    expect(line).not.toContain('\n');
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(parsed).sort()).toEqual(Object.keys(row).sort());
    expect(parsed.pathname).toBe('/a"b\\c');
  });
});

describe('formatClickHouseDateTime', () => {
  it('formats UTC without milliseconds', () => {
    expect(formatClickHouseDateTime(new Date('2026-01-02T03:04:05.999Z'))).toBe('2026-01-02 03:04:05');
  });
});
