/** The tag a site owner pastes into their pages' <head>. */
export function siteSnippet(ingestUrl: string, domain: string): string {
  const src = new URL('/js/script.js', ingestUrl).toString();
  return `<script defer data-domain="${escapeAttribute(domain)}" src="${escapeAttribute(src)}"></script>`;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
