// Where the scenarios send load. Loopback defaults match `npm start` (scripts/dev/environment.mjs);
// override with `k6 run -e INGEST_URL=… -e API_URL=… -e APP_ORIGIN=…`. Never point these at a
// production host you do not own.
export const INGEST_URL = __ENV.INGEST_URL || 'http://127.0.0.1:4100';
export const API_URL = __ENV.API_URL || 'http://127.0.0.1:4000';
/** The dashboard's origin: the API checks Origin on cookie-authenticated writes and WebSockets. */
export const APP_ORIGIN = __ENV.APP_ORIGIN || 'http://localhost:3000';
/** The site `npm start` seeds with 60 days of traffic, and its owner. */
export const SITE = __ENV.SITE || 'demo.sightline.test';
export const DEMO_EMAIL = __ENV.DEMO_EMAIL || 'demo@sightline.test';
export const DEMO_PASSWORD = __ENV.DEMO_PASSWORD || 'sightline-demo';
