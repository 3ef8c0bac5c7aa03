import * as flags from 'country-flag-icons/string/3x2';

// Country flags as SVG images: emoji flags render as two letters on Windows and as empty boxes where no
// emoji font is installed, so the dashboard serves its own. Flags never change for a code, so they are
// cacheable by browsers and CDNs (unlike the pages, which are private, no-store).
const FLAGS: Readonly<Record<string, string | undefined>> = flags;

export async function GET(
  _request: Request,
  context: { params: Promise<{ code: string }> },
): Promise<Response> {
  const { code } = await context.params;
  const svg = /^[A-Z]{2}$/.test(code) ? FLAGS[code] : undefined;
  if (svg === undefined) {
    return new Response('Unknown country code', {
      status: 404,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'public, max-age=3600' },
    });
  }
  return new Response(svg, {
    headers: {
      'Content-Type': 'image/svg+xml',
      'Cache-Control': 'public, max-age=604800, stale-while-revalidate=86400',
    },
  });
}
