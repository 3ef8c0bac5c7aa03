// The dashboard-side scenarios' load shapes and thresholds (plain data; see ingest.options.ts).

/** 20 dashboards refreshing their widgets for 2 minutes, each widget one Stats API query. */
export const statsApi = {
  scenarios: {
    dashboards: {
      executor: 'constant-vus' as const,
      vus: 20,
      duration: '2m',
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.01'],
    'http_req_duration{endpoint:query}': ['p(95)<500', 'p(99)<1500'],
    checks: ['rate>0.99'],
  },
};

/** 1,000 open realtime sockets (dashboards showing "current visitors"), ramped up, held, closed. */
export const realtimeSockets = {
  scenarios: {
    sockets: {
      executor: 'ramping-vus' as const,
      startVUs: 0,
      stages: [
        { target: 1000, duration: '1m' },
        { target: 1000, duration: '2m' },
        { target: 0, duration: '15s' },
      ],
      gracefulRampDown: '30s',
    },
  },
  thresholds: {
    ws_connecting: ['p(95)<1000', 'p(99)<3000'],
    checks: ['rate>0.99'],
    // Every socket must receive the server's first message (current visitors) within the session.
    ws_msgs_received: ['count>=1000'],
  },
};

/** Sign-in: argon2id verification dominates; 10 users signing in repeatedly for a minute. */
export const signIn = {
  scenarios: {
    sign_in: {
      executor: 'constant-vus' as const,
      vus: 10,
      duration: '1m',
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.01'],
    'http_req_duration{endpoint:login}': ['p(95)<800', 'p(99)<1500'],
    checks: ['rate>0.99'],
  },
};
