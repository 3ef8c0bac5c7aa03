import http from 'k6/http';
import { check, fail } from 'k6';
import { API_URL, APP_ORIGIN, DEMO_EMAIL, DEMO_PASSWORD } from './targets.ts';

/** Signs in as the demo user; returns the Cookie header value of the session. */
export function signIn(email = DEMO_EMAIL, password = DEMO_PASSWORD): string {
  const res = http.post(`${API_URL}/api/auth/login`, JSON.stringify({ email, password }), {
    headers: { 'content-type': 'application/json', origin: APP_ORIGIN },
    tags: { endpoint: 'login' },
  });
  const ok = check(res, { 'signed in (200)': (r) => r.status === 200 });
  if (!ok) fail(`sign-in failed with ${res.status}: ${String(res.body).slice(0, 200)}`);
  const cookie = Object.entries(res.cookies)
    .map(([name, values]) => `${name}=${values[0]?.value ?? ''}`)
    .join('; ');
  return cookie;
}
