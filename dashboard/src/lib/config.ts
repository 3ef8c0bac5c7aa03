/**
 * The dashboard's browser-side settings: the only place its client code reads the environment.
 * Next inlines `process.env.NEXT_PUBLIC_*` at build time, so each must be read literally here.
 */
export const publicConfig = {
  /** Where the realtime WebSocket connects; empty = the page's own origin (rewrite or ingress). */
  realtimeOrigin: process.env.NEXT_PUBLIC_REALTIME_ORIGIN ?? '',
};
