// Preloaded into the dashboard's Node process (`node --require ./client-address.cjs …`, see
// scripts/dev/dashboard.mjs, dashboard/Dockerfile and dashboard/test/product-stack.ts).
//
// Next's `/api` rewrite proxies requests to the API without adding the caller's address, and passes a
// client's own X-Forwarded-For through unchanged. So before Next sees a request (HTTP or WebSocket
// upgrade), this rewrites X-Forwarded-For to: the entries appended by the DASHBOARD_TRUSTED_PROXY_HOPS
// proxies in front of the dashboard (0 by default; everything further left is client-controlled and
// dropped), then the address that connected to this process. The API trusts exactly the hops in front
// of it (TRUSTED_PROXY_HOPS = DASHBOARD_TRUSTED_PROXY_HOPS + 1).
'use strict';
const http = require('node:http');

/** The X-Forwarded-For value to send on: `trustedHops` right-most incoming entries, then `socketAddress`. */
function forwardedFor(incoming, socketAddress, trustedHops) {
  const header = Array.isArray(incoming) ? incoming.join(',') : (incoming ?? '');
  const entries = header
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const kept = trustedHops > 0 ? entries.slice(-trustedHops) : [];
  const own = (socketAddress ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  return [...kept, own].filter(Boolean).join(', ');
}

function trustedHopsFrom(env) {
  const value = Number(env.DASHBOARD_TRUSTED_PROXY_HOPS ?? '0');
  if (!Number.isInteger(value) || value < 0 || value > 10)
    throw new Error('DASHBOARD_TRUSTED_PROXY_HOPS must be an integer from 0 to 10');
  return value;
}

let installed = false;
/** Rewrites X-Forwarded-For on every request and upgrade any http.Server of this process receives. */
function install(env = process.env) {
  if (installed) return;
  installed = true;
  const hops = trustedHopsFrom(env);
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function emitWithClientAddress(event, req, ...rest) {
    if ((event === 'request' || event === 'upgrade') && req && req.headers && req.socket) {
      req.headers['x-forwarded-for'] = forwardedFor(
        req.headers['x-forwarded-for'],
        req.socket.remoteAddress,
        hops,
      );
    }
    return emit.call(this, event, req, ...rest);
  };
}

module.exports = { forwardedFor, install, trustedHopsFrom };
if (require.main !== module && process.env.SIGHTLINE_CLIENT_ADDRESS_PRELOAD !== 'off') install();
