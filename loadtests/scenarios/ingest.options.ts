// The ingest scenarios' load shapes and pass/fail thresholds. Plain data (no k6 import), so the
// workspace's own test checks every scenario is bounded and has thresholds.

/** Shared by the three ingest scenarios: almost nothing may fail, and the receiver stays fast. */
const ingestThresholds = {
  http_req_failed: ['rate<0.01'],
  'http_req_duration{endpoint:event}': ['p(95)<100', 'p(99)<250'],
  checks: ['rate>0.99'],
};

/** Steady: 200 events/s for 5 minutes (a busy small-business customer base). */
export const ingestSteady = {
  scenarios: {
    steady: {
      executor: 'constant-arrival-rate' as const,
      rate: 200,
      timeUnit: '1s',
      duration: '5m',
      preAllocatedVUs: 50,
      maxVUs: 200,
    },
  },
  thresholds: ingestThresholds,
};

/** Spike: from 50 to 1,500 events/s within 10 s (a customer's page on a front page), held 1 min. */
export const ingestSpike = {
  scenarios: {
    spike: {
      executor: 'ramping-arrival-rate' as const,
      startRate: 50,
      timeUnit: '1s',
      preAllocatedVUs: 200,
      maxVUs: 1000,
      stages: [
        { target: 50, duration: '30s' },
        { target: 1500, duration: '10s' },
        { target: 1500, duration: '1m' },
        { target: 50, duration: '10s' },
        { target: 50, duration: '30s' },
      ],
    },
  },
  // During the spike the receiver may queue, never fail: same error budget, looser latency.
  thresholds: {
    http_req_failed: ['rate<0.01'],
    'http_req_duration{endpoint:event}': ['p(95)<300', 'p(99)<1000'],
    checks: ['rate>0.99'],
  },
};

/** Soak: 100 events/s for an hour (memory, spool, backlog and connection leaks show over time). */
export const ingestSoak = {
  scenarios: {
    soak: {
      executor: 'constant-arrival-rate' as const,
      rate: 100,
      timeUnit: '1s',
      duration: '1h',
      preAllocatedVUs: 30,
      maxVUs: 100,
    },
  },
  thresholds: ingestThresholds,
};
