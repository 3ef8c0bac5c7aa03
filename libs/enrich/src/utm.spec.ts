import { describe, it, expect } from 'vitest';
import { extractUtm, MAX_UTM_LENGTH } from './utm';

describe('extractUtm', () => {
  it('reads all five utm parameters', () => {
    const url = new URL(
      'https://example.com/pricing?utm_source=newsletter&utm_medium=email&utm_campaign=spring+sale&utm_content=hero%20button&utm_term=web%20analytics',
    );
    expect(extractUtm(url)).toEqual({
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'spring sale',
      utm_content: 'hero button',
      utm_term: 'web analytics',
      ref: '',
    });
  });

  it('returns empty strings when nothing is tagged', () => {
    expect(extractUtm(new URL('https://example.com/'))).toEqual({
      utm_source: '',
      utm_medium: '',
      utm_campaign: '',
      utm_content: '',
      utm_term: '',
      ref: '',
    });
  });

  it('trims values and treats blank ones as absent', () => {
    const utm = extractUtm(new URL('https://example.com/?utm_source=%20Google%20&utm_medium=%20%20'));
    expect(utm.utm_source).toBe('Google');
    expect(utm.utm_medium).toBe('');
  });

  it('takes ref from ?ref=, else from ?source=', () => {
    expect(extractUtm(new URL('https://example.com/?ref=producthunt&source=hn')).ref).toBe('producthunt');
    expect(extractUtm(new URL('https://example.com/?source=hn')).ref).toBe('hn');
    expect(extractUtm(new URL('https://example.com/?ref=&source=hn')).ref).toBe('hn');
  });

  it('uses the first value of a repeated parameter', () => {
    expect(extractUtm(new URL('https://example.com/?utm_source=a&utm_source=b')).utm_source).toBe('a');
  });

  it('matches parameter names exactly', () => {
    expect(extractUtm(new URL('https://example.com/?UTM_SOURCE=google')).utm_source).toBe('');
  });

  it(`caps each value at ${MAX_UTM_LENGTH} characters without splitting an emoji`, () => {
    const long = 'x'.repeat(MAX_UTM_LENGTH - 1) + '😀' + 'y'.repeat(10);
    const utm = extractUtm(new URL(`https://example.com/?utm_campaign=${encodeURIComponent(long)}`));
    expect(utm.utm_campaign).toBe('x'.repeat(MAX_UTM_LENGTH - 1));
    expect(extractUtm(new URL(`https://example.com/?utm_term=${'z'.repeat(5000)}`)).utm_term).toHaveLength(
      MAX_UTM_LENGTH,
    );
  });
});
