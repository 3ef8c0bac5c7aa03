import { randomBytes } from 'node:crypto';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ApiKeyView, CreatedApiKey, InvitationView, SiteView } from '@sightline/api-contract';
import { MailCatcher, eventually } from '@sightline/testing';
import { LiveEventsSubscriber } from '../src/realtime/live-events.subscriber';
import {
  CLOSE_ACCESS_REVOKED,
  CLOSE_SESSION_ENDED,
  CLOSE_UNAVAILABLE,
  RealtimeServer,
} from '../src/realtime/realtime.server';
import { APP_ORIGIN, ApiHarness, type ApiClient } from './api-harness';

interface OpenSocket {
  ws: WebSocket;
  opened: boolean;
  status: number;
  closed: Promise<number>;
}

async function openRealtime(api: ApiHarness, client: ApiClient, domain: string): Promise<OpenSocket> {
  const url = `${api.baseUrl.replace('http', 'ws')}/api/realtime?site=${encodeURIComponent(domain)}`;
  const ws = new WebSocket(url, { headers: { cookie: client.cookie ?? '', origin: APP_ORIGIN } });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  const outcome = await new Promise<{ opened: boolean; status: number }>((resolve) => {
    ws.once('open', () => resolve({ opened: true, status: 101 }));
    ws.once('unexpected-response', (_req, res) => resolve({ opened: false, status: res.statusCode ?? 0 }));
    ws.once('error', () => resolve({ opened: false, status: 0 }));
  });
  return { ws, closed, ...outcome };
}

/** Resolves with the close code, or 'open' if the socket is still open after `ms`. */
function closeCodeWithin(socket: OpenSocket, ms: number): Promise<number | 'open'> {
  return Promise.race([socket.closed, new Promise<'open'>((r) => setTimeout(() => r('open'), ms))]);
}

describe('finding 3: access ends everywhere when it is revoked', () => {
  const api = new ApiHarness();
  const { ctx } = api;
  beforeAll(() => api.start({ REALTIME_RECHECK_SECONDS: '1' }));
  afterAll(() => api.stop());

  async function userWithSite(label: string) {
    const user = await api.signedUpUser(label);
    const site = await user.client.post<SiteView>(`/api/orgs/${user.orgId}/sites`, {
      domain: `${label}-${randomBytes(4).toString('hex')}.example.com`,
    });
    expect(site.status).toBe(201);
    return { ...user, domain: site.body.domain };
  }

  async function secondSession(email: string, password: string): Promise<ApiClient> {
    const client = api.client();
    expect((await client.post('/api/auth/login', { email, password })).status).toBe(200);
    return client;
  }

  it('log-out-everywhere closes the open realtime sockets of every session', async () => {
    const owner = await userWithSite('logout-all');
    const other = await secondSession(owner.email, owner.password);
    const socket = await openRealtime(api, other, owner.domain);
    expect(socket.opened).toBe(true);
    expect((await owner.client.post('/api/auth/logout-all')).status).toBe(204);
    expect(await closeCodeWithin(socket, 3000)).toBe(CLOSE_SESSION_ENDED);
  });

  it('a password change closes the other sessions’ sockets and keeps the current one', async () => {
    const owner = await userWithSite('pw-change');
    const other = await secondSession(owner.email, owner.password);
    const mine = await openRealtime(api, owner.client, owner.domain);
    const theirs = await openRealtime(api, other, owner.domain);
    expect([mine.opened, theirs.opened]).toEqual([true, true]);
    const changed = await owner.client.post('/api/account/password', {
      currentPassword: owner.password,
      newPassword: 'a brand new password 1',
    });
    expect(changed.status).toBe(204);
    expect(await closeCodeWithin(theirs, 3000)).toBe(CLOSE_SESSION_ENDED);
    expect(await closeCodeWithin(mine, 1500)).toBe('open');
    mine.ws.close();
  });

  it('a password reset closes every socket', async () => {
    const owner = await userWithSite('pw-reset');
    const socket = await openRealtime(api, owner.client, owner.domain);
    expect(socket.opened).toBe(true);
    expect((await api.client().post('/api/auth/password-reset', { email: owner.email })).status).toBe(202);
    const token = MailCatcher.tokenFrom(await api.mail.waitFor(owner.email, /reset/i));
    const reset = await api
      .client()
      .post('/api/auth/password-reset/confirm', { token, password: 'reset password 12345' });
    expect(reset.status).toBe(200);
    expect(await closeCodeWithin(socket, 3000)).toBe(CLOSE_SESSION_ENDED);
  });

  it('removing a member or changing their role closes their sockets on the org’s sites', async () => {
    const owner = await userWithSite('org-owner');
    const viewer = await api.joinedMember(owner.client, owner.orgId, 'viewer');
    const first = await openRealtime(api, viewer.client, owner.domain);
    expect(first.opened).toBe(true);
    const demoted = await owner.client.patch(`/api/orgs/${owner.orgId}/members/${viewer.userId}`, {
      role: 'admin',
    });
    expect(demoted.status).toBe(200);
    expect(await closeCodeWithin(first, 3000)).toBe(CLOSE_ACCESS_REVOKED);
    // Still a member: the dashboard reconnects and is let in with the new role.
    const second = await openRealtime(api, viewer.client, owner.domain);
    expect(second.opened).toBe(true);
    expect((await owner.client.delete(`/api/orgs/${owner.orgId}/members/${viewer.userId}`)).status).toBe(204);
    expect(await closeCodeWithin(second, 3000)).toBe(CLOSE_ACCESS_REVOKED);
    expect((await openRealtime(api, viewer.client, owner.domain)).status).toBe(404);
  });

  it('the periodic re-check closes a socket whose session ended without a message', async () => {
    const owner = await userWithSite('recheck');
    const socket = await openRealtime(api, owner.client, owner.domain);
    expect(socket.opened).toBe(true);
    // Revoked straight in the database (as another tool or a lost pub/sub message would leave it).
    await ctx.pool.query('UPDATE user_sessions SET revoked_at = now() WHERE user_id = $1', [
      owner.me.user.id,
    ]);
    expect(await closeCodeWithin(socket, 5000)).toBe(CLOSE_SESSION_ENDED);
  });

  it('API keys and pending invitations of a removed admin are revoked; a demoted admin’s invitations too', async () => {
    const owner = await api.signedUpUser('keys-owner');
    await api.setPlan(owner.orgId, 'basic'); // more members and invitations than the free plan seats
    const admin = await api.joinedMember(owner.client, owner.orgId, 'admin');
    const key = await admin.client.post<CreatedApiKey>(`/api/orgs/${owner.orgId}/api-keys`, { name: 'ci' });
    expect(key.status).toBe(201);
    const ownKey = await owner.client.post<CreatedApiKey>(`/api/orgs/${owner.orgId}/api-keys`, {
      name: 'mine',
    });
    const invite = await admin.client.post<InvitationView>(`/api/orgs/${owner.orgId}/invitations`, {
      email: api.uniqueEmail('pending'),
      role: 'viewer',
    });
    expect(invite.status).toBe(201);
    const invitationMail = await api.mail.waitFor(invite.body.email, /invited to/);
    const bearer = { authorization: `Bearer ${key.body.key}` };
    const before = await api
      .client()
      .post('/api/v2/query', { site_id: 'x.example', metrics: ['visitors'] }, bearer);
    expect(before.status).toBe(404); // a working key (unknown site)

    expect((await owner.client.delete(`/api/orgs/${owner.orgId}/members/${admin.userId}`)).status).toBe(204);
    const query = await api
      .client()
      .post('/api/v2/query', { site_id: 'x.example', metrics: ['visitors'] }, bearer);
    expect(query).toMatchObject({ status: 401, body: { error: { code: 'invalid_api_key' } } });
    const keys = await owner.client.get<ApiKeyView[]>(`/api/orgs/${owner.orgId}/api-keys`);
    expect(keys.body.map((k) => k.id)).toEqual([ownKey.body.id]);
    const pending = await owner.client.get<InvitationView[]>(`/api/orgs/${owner.orgId}/invitations`);
    expect(pending.body.find((i) => i.id === invite.body.id)).toBeUndefined();
    const token = MailCatcher.tokenFrom(invitationMail);
    expect((await api.client().get(`/api/invitations/${token}`)).status).toBe(404);

    // Demoted to viewer: what they sent as admin stops working, what others sent stays.
    const second = await api.joinedMember(owner.client, owner.orgId, 'admin');
    const sent = await second.client.post<InvitationView>(`/api/orgs/${owner.orgId}/invitations`, {
      email: api.uniqueEmail('pending2'),
      role: 'admin',
    });
    expect(sent.status).toBe(201);
    const ownInvite = await owner.client.post<InvitationView>(`/api/orgs/${owner.orgId}/invitations`, {
      email: api.uniqueEmail('pending3'),
      role: 'viewer',
    });
    expect(
      (await owner.client.patch(`/api/orgs/${owner.orgId}/members/${second.userId}`, { role: 'viewer' }))
        .status,
    ).toBe(200);
    const left = await owner.client.get<InvitationView[]>(`/api/orgs/${owner.orgId}/invitations`);
    expect(left.body.map((i) => i.id)).toEqual([ownInvite.body.id]);
  });
});

describe('finding 9: realtime robustness', () => {
  const api = new ApiHarness();
  let admin: Redis;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    await api.start();
    admin = new Redis(api.config.REDIS_URL);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    admin.disconnect();
    await api.stop();
  });

  it('a Redis error during SUBSCRIBE closes the socket (1011) instead of an unhandled rejection', async () => {
    // A real Redis refusal: an API connected as a user that may not subscribe to the live channels.
    const user = `nolive-${randomBytes(3).toString('hex')}`;
    await admin.call('ACL', 'SETUSER', user, 'on', 'nopass', '~*', '&sightline:revocations', '+@all');
    const url = new URL(api.config.REDIS_URL);
    url.username = user;
    const limited = await new ApiHarness().start({ REDIS_URL: url.toString() });
    try {
      const owner = await limited.signedUpUser('nolive');
      const site = await owner.client.post<SiteView>(`/api/orgs/${owner.orgId}/sites`, {
        domain: `nolive-${randomBytes(4).toString('hex')}.example.com`,
      });
      const socket = await openRealtime(limited, owner.client, site.body.domain);
      expect(socket.opened).toBe(true);
      expect(await closeCodeWithin(socket, 5000)).toBe(CLOSE_UNAVAILABLE);
      expect(limited.get(LiveEventsSubscriber).listenerCount(site.body.id)).toBe(0);
      await new Promise((r) => setTimeout(r, 200));
      expect(unhandled).toEqual([]);
      // The API keeps serving.
      expect((await owner.client.get('/api/auth/me')).status).toBe(200);
    } finally {
      await limited.stop();
      await admin.call('ACL', 'DELUSER', user);
    }
  });

  it('a socket that closes while its SUBSCRIBE is pending leaves no poll or listener behind', async () => {
    // A real Redis behind a TCP relay that can hold back SUBSCRIBE commands: the subscribe is pending
    // exactly as long as the test wants, with every other command flowing.
    const relay = new SubscribeHoldingRelay(new URL(api.config.REDIS_URL));
    const url = new URL(api.config.REDIS_URL);
    url.port = String(await relay.start());
    const relayed = await new ApiHarness().start({ REDIS_URL: url.toString() });
    try {
      const owner = await relayed.signedUpUser('closing');
      const site = await owner.client.post<SiteView>(`/api/orgs/${owner.orgId}/sites`, {
        domain: `closing-${randomBytes(4).toString('hex')}.example.com`,
      });
      const realtime = relayed.get(RealtimeServer);
      const live = relayed.get(LiveEventsSubscriber);
      relay.holding = true;
      const socket = await openRealtime(relayed, owner.client, site.body.domain);
      expect(socket.opened).toBe(true);
      await eventually(async () => relay.heldCount() > 0, { what: 'SUBSCRIBE held' });
      socket.ws.close();
      await socket.closed;
      relay.release();
      await eventually(
        async () => realtime.connectionCount() === 0 && live.listenerCount(site.body.id) === 0,
        {
          what: 'connection cleaned up',
        },
      );
      // And it stays clean: nothing registers late once the SUBSCRIBE has answered.
      await new Promise((r) => setTimeout(r, 500));
      expect([realtime.connectionCount(), live.listenerCount(site.body.id)]).toEqual([0, 0]);
      expect(unhandled).toEqual([]);
    } finally {
      await relayed.stop();
      relay.close();
    }
  });
});

/** Forwards TCP to Redis; while `holding`, a connection's SUBSCRIBE (and what follows it) waits for release(). */
class SubscribeHoldingRelay {
  holding = false;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly held = new Map<Socket, Buffer[]>();

  constructor(private readonly target: URL) {}

  async start(): Promise<number> {
    this.server = createServer((client) => {
      const upstream = createConnection(Number(this.target.port || 6379), this.target.hostname);
      this.sockets.add(client).add(upstream);
      upstream.pipe(client);
      client.on('data', (chunk: Buffer) => {
        const queue = this.held.get(upstream);
        if (queue) queue.push(chunk);
        else if (this.holding && /\r\nsubscribe\r\n/i.test(chunk.toString('latin1')))
          this.held.set(upstream, [chunk]);
        else upstream.write(chunk);
      });
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  heldCount(): number {
    return this.held.size;
  }

  release(): void {
    this.holding = false;
    for (const [upstream, chunks] of this.held) for (const chunk of chunks) upstream.write(chunk);
    this.held.clear();
  }

  close(): void {
    for (const socket of this.sockets) socket.destroy();
    this.server?.close();
  }
}

describe('finding 8: realtime sockets per user are bounded', () => {
  const api = new ApiHarness();
  beforeAll(() => api.start({ REALTIME_SOCKETS_PER_USER: '2' }));
  afterAll(() => api.stop());

  it('refuses a third open socket with 429 and Retry-After until one closes', async () => {
    const owner = await api.signedUpUser('sockets');
    const site = await owner.client.post<SiteView>(`/api/orgs/${owner.orgId}/sites`, {
      domain: `sockets-${randomBytes(4).toString('hex')}.example.com`,
    });
    const first = await openRealtime(api, owner.client, site.body.domain);
    const second = await openRealtime(api, owner.client, site.body.domain);
    expect([first.opened, second.opened]).toEqual([true, true]);
    const third = await openRealtime(api, owner.client, site.body.domain);
    expect(third).toMatchObject({ opened: false, status: 429 });
    first.ws.close();
    await first.closed;
    await eventually(async () => api.get(RealtimeServer).connectionCount() === 1, {
      what: 'one socket left',
    });
    const again = await openRealtime(api, owner.client, site.body.domain);
    expect(again.opened).toBe(true);
    second.ws.close();
    again.ws.close();
  });
});
