/**
 * Whether a page host may send events for a site. An empty list allows every host; entries are
 * exact host names or `*.example.com`, which matches subdomains of example.com (not example.com
 * itself). `www.` is ignored on both sides.
 */
export function isHostnameAllowed(hostname: string, allowed: readonly string[]): boolean {
  if (allowed.length === 0) return true;
  const host = stripWww(hostname.toLowerCase());
  return allowed.some((pattern) => {
    const p = stripWww(pattern.toLowerCase());
    return p.startsWith('*.') ? host.endsWith(p.slice(1)) && host.length > p.length - 1 : host === p;
  });
}

function stripWww(host: string): string {
  return host.startsWith('www.') ? host.slice(4) : host;
}
