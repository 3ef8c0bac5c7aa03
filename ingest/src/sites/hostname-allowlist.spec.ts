import { describe, expect, it } from 'vitest';
import { isHostnameAllowed } from './hostname-allowlist';

describe('isHostnameAllowed', () => {
  it('allows every host when the list is empty', () => {
    expect(isHostnameAllowed('anything.test', [])).toBe(true);
  });

  it('matches exact hosts, ignoring case and www.', () => {
    expect(isHostnameAllowed('WWW.Example.com', ['example.com'])).toBe(true);
    expect(isHostnameAllowed('example.com', ['www.example.com'])).toBe(true);
    expect(isHostnameAllowed('evil-example.com', ['example.com'])).toBe(false);
    expect(isHostnameAllowed('shop.example.com', ['example.com'])).toBe(false);
  });

  it('matches subdomains with *.', () => {
    expect(isHostnameAllowed('shop.example.com', ['*.example.com'])).toBe(true);
    expect(isHostnameAllowed('a.b.example.com', ['*.example.com'])).toBe(true);
    expect(isHostnameAllowed('example.com', ['*.example.com'])).toBe(false);
    expect(isHostnameAllowed('badexample.com', ['*.example.com'])).toBe(false);
  });
});
