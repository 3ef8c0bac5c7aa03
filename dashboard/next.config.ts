import type { NextConfig } from 'next';

// Where the Next server forwards `/api/*`. Rewrites are compiled into the build manifest, so set it for
// `next build` (and keep it the same for `next start`).
const apiOrigin = (process.env.API_INTERNAL_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');
const nextConfig: NextConfig = {
  // Tests build into their own directory (NEXT_DIST_DIR=.next-test) so `npm start`'s build stays valid.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  output: process.env.NEXT_OUTPUT === 'standalone' ? 'standalone' : undefined, // dashboard/Dockerfile only
  poweredByHeader: false,
  reactStrictMode: true,
  transpilePackages: ['@sightline/api-contract'],
  async rewrites() {
    return [{ source: '/api/:path*', destination: `${apiOrigin}/api/:path*` }];
  },
  async headers() {
    return [
      {
        source: '/:path*',
        // The Content-Security-Policy is set per request, with a nonce, by src/proxy.ts.
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
        ],
      },
      {
        // Shared dashboards are never indexed (the API's /api/share answers say so too).
        source: '/share/:path*',
        headers: [{ key: 'X-Robots-Tag', value: 'noindex, nofollow' }],
      },
      {
        // Every HTML page may show account data: never store it in a shared or browser cache. Fingerprinted
        // assets under /_next/static keep Next's immutable caching, flags their own; /api responses keep the API's headers.
        source: '/((?!_next/static|_next/image|api/|flags/|favicon\\.ico|icon\\.svg).*)',
        headers: [{ key: 'Cache-Control', value: 'private, no-store' }],
      },
    ];
  },
};

export default nextConfig;
