import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next';

describe('safeNext (post-sign-in destination)', () => {
  it.each([
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r/evil.example',
    '/\t\\evil.example',
    '//evil.example',
    '/\\evil.example',
    '\\/evil.example',
    'https://evil.example/',
    'http:evil.example',
    'javascript:alert(1)',
    ' /sites',
    '/a/../..//evil.example',
    '',
    'sites',
  ])('refuses %j', (raw) => {
    const target = safeNext(raw);
    expect(target).toBe('/sites');
  });

  it('keeps same-origin paths with their query and hash', () => {
    expect(safeNext('/sites/example.com?period=7d#top')).toBe('/sites/example.com?period=7d#top');
    expect(safeNext('/account')).toBe('/account');
    expect(safeNext(null, '/orgs')).toBe('/orgs');
  });

  it('whatever it returns resolves to the same origin', () => {
    const origin = 'https://app.sightline.test';
    for (const raw of ['/\t/evil.example', '/a/../..//evil.example', '/./\t/evil', '/sites']) {
      expect(new URL(safeNext(raw), origin).origin).toBe(origin);
    }
  });
});
