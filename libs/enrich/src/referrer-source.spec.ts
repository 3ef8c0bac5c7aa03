import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { classifyReferrer, knownSourceForHost, MAX_REFERRER_LENGTH, resolveSource } from './referrer-source';

const PAGE_HOST = 'example.com';

describe('classifyReferrer', () => {
  it.each([
    ['https://www.google.com/', 'google.com', 'Google'],
    ['https://www.google.co.uk/', 'google.co.uk', 'Google'],
    ['https://www.google.com.au/url?sa=t', 'google.com.au/url', 'Google'],
    ['https://www.google.de/search?q=sightline#top', 'google.de/search', 'Google'],
    ['https://mail.google.com/mail/u/0/', 'mail.google.com/mail/u/0', 'Gmail'],
    ['https://www.bing.com/search?q=x', 'bing.com/search', 'Bing'],
    ['https://duckduckgo.com/', 'duckduckgo.com', 'DuckDuckGo'],
    ['https://search.yahoo.com/search?p=x', 'search.yahoo.com/search', 'Yahoo!'],
    ['https://mail.yahoo.com/d/folders/1', 'mail.yahoo.com/d/folders/1', 'Yahoo Mail'],
    ['https://yandex.ru/', 'yandex.ru', 'Yandex'],
    ['https://www.baidu.com/link?url=x', 'baidu.com/link', 'Baidu'],
    ['https://www.ecosia.org/', 'ecosia.org', 'Ecosia'],
    ['https://search.brave.com/', 'search.brave.com', 'Brave'],
    ['https://www.facebook.com/', 'facebook.com', 'Facebook'],
    ['https://m.facebook.com/', 'm.facebook.com', 'Facebook'],
    ['https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.com', 'l.facebook.com/l.php', 'Facebook'],
    ['https://lm.facebook.com/', 'lm.facebook.com', 'Facebook'],
    ['https://l.instagram.com/', 'l.instagram.com', 'Instagram'],
    ['https://t.co/AbCdEf', 't.co/AbCdEf', 'Twitter'],
    ['https://twitter.com/', 'twitter.com', 'Twitter'],
    ['https://x.com/someone/status/1', 'x.com/someone/status/1', 'Twitter'],
    ['https://www.linkedin.com/', 'linkedin.com', 'LinkedIn'],
    ['https://lnkd.in/abc', 'lnkd.in/abc', 'LinkedIn'],
    ['https://old.reddit.com/r/webdev/', 'old.reddit.com/r/webdev', 'Reddit'],
    ['https://www.youtube.com/', 'youtube.com', 'YouTube'],
    ['https://www.pinterest.co.uk/', 'pinterest.co.uk', 'Pinterest'],
    ['https://www.tiktok.com/', 'tiktok.com', 'TikTok'],
    ['https://github.com/org/repo', 'github.com/org/repo', 'GitHub'],
    ['https://news.ycombinator.com/item?id=1', 'news.ycombinator.com/item', 'Hacker News'],
    ['https://www.producthunt.com/posts/sightline', 'producthunt.com/posts/sightline', 'Product Hunt'],
    ['https://en.wikipedia.org/wiki/Web_analytics', 'en.wikipedia.org/wiki/Web_analytics', 'Wikipedia'],
    ['https://en.m.wikipedia.org/wiki/Web_analytics', 'en.m.wikipedia.org/wiki/Web_analytics', 'Wikipedia'],
    ['https://medium.com/@someone/post', 'medium.com/@someone/post', 'Medium'],
    ['https://stackoverflow.com/questions/1', 'stackoverflow.com/questions/1', 'Stack Overflow'],
    ['https://app.slack.com/', 'app.slack.com', 'Slack'],
    ['https://discord.com/', 'discord.com', 'Discord'],
    ['https://t.me/channel', 't.me/channel', 'Telegram'],
    ['https://web.whatsapp.com/', 'web.whatsapp.com', 'WhatsApp'],
    ['https://chatgpt.com/', 'chatgpt.com', 'ChatGPT'],
    ['https://chat.openai.com/', 'chat.openai.com', 'ChatGPT'],
    ['https://www.perplexity.ai/', 'perplexity.ai', 'Perplexity'],
    ['https://outlook.live.com/mail/0/', 'outlook.live.com/mail/0', 'Outlook'],
    ['android-app://com.google.android.gm/', 'com.google.android.gm', 'Gmail'],
  ])('%s → %s (%s)', (input, referrer, source) => {
    expect(classifyReferrer(input, PAGE_HOST)).toEqual({ referrer, source });
  });

  it('uses the host without www. as the source of unknown referrers', () => {
    expect(classifyReferrer('https://www.some-blog.net/2024/05/post/?utm=x', PAGE_HOST)).toEqual({
      referrer: 'some-blog.net/2024/05/post',
      source: 'some-blog.net',
    });
  });

  it('does not mistake look-alike hosts for well-known ones', () => {
    expect(classifyReferrer('https://google.evil.com/', PAGE_HOST).source).toBe('google.evil.com');
    expect(classifyReferrer('https://notgoogle.com/', PAGE_HOST).source).toBe('notgoogle.com');
    expect(classifyReferrer('https://facebook.com.phish.io/', PAGE_HOST).source).toBe(
      'facebook.com.phish.io',
    );
  });

  it('lower-cases the host, drops credentials, port and a trailing dot', () => {
    expect(classifyReferrer('HTTPS://user:pw@WWW.Some-Blog.NET.:8443/Path/', PAGE_HOST)).toEqual({
      referrer: 'some-blog.net/Path',
      source: 'some-blog.net',
    });
  });

  it('treats same-host navigation as internal, ignoring www. and case on either side', () => {
    const none = { referrer: '', source: '' };
    expect(classifyReferrer('https://example.com/pricing', 'example.com')).toEqual(none);
    expect(classifyReferrer('https://www.example.com/pricing', 'example.com')).toEqual(none);
    expect(classifyReferrer('http://example.com/', 'www.example.com')).toEqual(none);
    expect(classifyReferrer('https://EXAMPLE.com/', 'Example.COM')).toEqual(none);
  });

  it('counts a sibling subdomain as an external referrer', () => {
    expect(classifyReferrer('https://blog.example.com/post', 'example.com')).toEqual({
      referrer: 'blog.example.com/post',
      source: 'blog.example.com',
    });
  });

  it('reads a scheme-less referrer as a web URL', () => {
    expect(classifyReferrer('some-blog.net/post?x=1', PAGE_HOST)).toEqual({
      referrer: 'some-blog.net/post',
      source: 'some-blog.net',
    });
  });

  it.each([
    null,
    undefined,
    '',
    '   ',
    'not a url',
    'http://',
    'https://',
    '://',
    '//',
    'http://[::1',
    'https://exa mple.com/',
  ])('yields no referrer for the missing or malformed value %j', (input) => {
    expect(classifyReferrer(input, PAGE_HOST)).toEqual({ referrer: '', source: '' });
  });

  it.each([
    'javascript:alert(1)',
    'data:text/html,hi',
    'mailto:someone@example.org',
    'file:///etc/passwd',
    'about:blank',
    'chrome-extension://abc/page.html',
  ])('ignores the non-web referrer %s', (input) => {
    expect(classifyReferrer(input, PAGE_HOST)).toEqual({ referrer: '', source: '' });
  });

  it(`truncates the referrer to ${MAX_REFERRER_LENGTH} characters`, () => {
    const { referrer } = classifyReferrer(`https://some-blog.net/${'a'.repeat(5000)}`, PAGE_HOST);
    expect(referrer).toHaveLength(MAX_REFERRER_LENGTH);
    expect(referrer.startsWith('some-blog.net/aaa')).toBe(true);
  });

  it('never throws and never returns a referrer longer than the cap', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.webUrl({ withQueryParameters: true, withFragments: true })),
        fc.string(),
        (ref, host) => {
          const result = classifyReferrer(ref, host);
          expect(result.referrer.length).toBeLessThanOrEqual(MAX_REFERRER_LENGTH);
          expect(result.source === '').toBe(result.referrer === '');
        },
      ),
      { numRuns: 1000 },
    );
  }, 30_000); // 1,000 generated URLs: CPU-bound, and the test machine is shared
});

describe('knownSourceForHost', () => {
  it('prefers the most specific entry', () => {
    expect(knownSourceForHost('mail.google.com')).toBe('Gmail');
    expect(knownSourceForHost('news.google.com')).toBe('Google News');
    expect(knownSourceForHost('www.google.com')).toBe('Google');
  });

  it('returns "" for unknown hosts', () => {
    expect(knownSourceForHost('example.com')).toBe('');
    expect(knownSourceForHost('')).toBe('');
  });
});

describe('resolveSource', () => {
  it('lets a tagged utm_source win over the referrer, as Plausible does', () => {
    expect(resolveSource({ referrerSource: 'Google', utmSource: 'newsletter', refParam: 'hn' })).toBe(
      'newsletter',
    );
    expect(resolveSource({ referrerSource: 'Google', utmSource: '', refParam: 'hn' })).toBe('Hacker News');
    expect(resolveSource({ referrerSource: 'Google', utmSource: '', refParam: '' })).toBe('Google');
  });

  it('without a referrer: utm_source, then ref/source, then ""', () => {
    expect(resolveSource({ referrerSource: '', utmSource: 'newsletter', refParam: 'hn' })).toBe('newsletter');
    expect(resolveSource({ referrerSource: '', utmSource: '', refParam: 'producthunt' })).toBe(
      'Product Hunt',
    );
    expect(resolveSource({ referrerSource: '', utmSource: '  ', refParam: '' })).toBe('');
  });

  it.each([
    ['google', 'Google'],
    ['Google', 'Google'],
    ['fb', 'Facebook'],
    ['FACEBOOK', 'Facebook'],
    ['twitter', 'Twitter'],
    ['x', 'Twitter'],
    ['hn', 'Hacker News'],
    ['linkedin', 'LinkedIn'],
    ['chatgpt.com', 'ChatGPT'],
    ['news.ycombinator.com', 'Hacker News'],
    ['www.reddit.com', 'Reddit'],
    ['newsletter', 'newsletter'],
    ['Spring Newsletter', 'Spring Newsletter'],
    ['partner-site.io', 'partner-site.io'],
  ])('maps the tag %j to %j', (tag, expected) => {
    expect(resolveSource({ referrerSource: '', utmSource: tag, refParam: '' })).toBe(expected);
    expect(resolveSource({ referrerSource: '', utmSource: '', refParam: tag })).toBe(expected);
  });
});
