// k6 run loadtests/scenarios/realtime-websockets.ts — 1,000 concurrent realtime WebSockets
// (GET /api/realtime?site=… upgraded), each authenticated by a real session cookie and the
// dashboard's Origin, held open 2 minutes. setup() signs in once; the sockets share the session
// (the server serves each socket independently). See loadtests/README.md.
import ws from 'k6/ws';
import { check } from 'k6';
import type { Options } from 'k6/options';
import { signIn } from './lib/session.ts';
import { API_URL, APP_ORIGIN, SITE } from './lib/targets.ts';
import { realtimeSockets } from './api.options.ts';

export const options: Options = realtimeSockets;

const WS_URL = `${API_URL.replace(/^http/, 'ws')}/api/realtime?site=${encodeURIComponent(SITE)}`;
/** How long each socket stays open (seconds), bounded so the scenario ends on time. */
const HOLD_SECONDS = Number(__ENV.HOLD_SECONDS || 150);

export function setup(): { cookie: string } {
  return { cookie: signIn() };
}

export default function (data: { cookie: string }): void {
  let messages = 0;
  const res = ws.connect(WS_URL, { headers: { cookie: data.cookie, origin: APP_ORIGIN } }, (socket) => {
    socket.on('message', () => {
      messages += 1;
    });
    socket.setTimeout(() => socket.close(), HOLD_SECONDS * 1000);
  });
  check(res, { 'upgraded (101)': (r) => r !== null && r.status === 101 });
  check(messages, { 'received the first update': (n) => n > 0 });
}
