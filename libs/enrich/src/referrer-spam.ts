import { REFERRER_SPAM_DOMAINS } from './referrer-spam-domains';

/**
 * Whether a referrer host is a known referrer-spam domain or a subdomain of one. Accepts a bare
 * hostname and, for convenience, the normalised `host/path` referrer from classifyReferrer or a
 * `host:port`; case and a leading `www.` are ignored. Spam events are acknowledged and dropped.
 */
export function isReferrerSpam(referrerHost: string): boolean {
  if (typeof referrerHost !== 'string') return false;
  let host = referrerHost.trim().toLowerCase();
  host = host.replace(/^[a-z][a-z0-9+.-]*:\/\//, ''); // tolerate a full URL
  host = host.split(/[/?#:]/, 1)[0] ?? '';
  host = host.replace(/\.$/, '');
  if (host.startsWith('www.')) host = host.slice(4);

  // Check the host and each parent domain: spam networks rotate subdomains, not registrations.
  for (let candidate = host; candidate !== '';) {
    if (REFERRER_SPAM_DOMAINS.has(candidate)) return true;
    const dot = candidate.indexOf('.');
    if (dot === -1) break;
    candidate = candidate.slice(dot + 1);
  }
  return false;
}
