import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  InvitationPreview,
  InvitationView,
  MeResponse,
  MemberView,
  OrgView,
} from '@sightline/api-contract';
import { MailCatcher } from '@sightline/testing';
import { APP_ORIGIN, ApiHarness } from './api-harness';

describe('orgs, members and invitations', () => {
  const api = new ApiHarness();
  beforeAll(() => api.start());
  afterAll(() => api.stop());

  it('lists the orgs of the signed-in user and creates new ones with the creator as owner', async () => {
    const { client, orgId } = await api.signedUpUser('orgs');
    const initial = await client.get<OrgView[]>('/api/orgs');
    expect(initial.status).toBe(200);
    expect(initial.body).toEqual([expect.objectContaining({ id: orgId, role: 'owner' })]);

    const created = await client.post<OrgView>('/api/orgs', { name: '  Side project  ' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Side project', role: 'owner' });
    expect(new Date(created.body.createdAt).getTime()).not.toBeNaN();

    const after = await client.get<OrgView[]>('/api/orgs');
    expect(after.body.map((o) => o.id).sort()).toEqual([orgId, created.body.id].sort());
    const members = await client.get<MemberView[]>(`/api/orgs/${created.body.id}/members`);
    expect(members.body).toEqual([expect.objectContaining({ role: 'owner' })]);

    const empty = await client.post('/api/orgs', { name: '   ' });
    expect(empty).toMatchObject({ status: 400, body: { error: { field: 'name' } } });
    const tooLong = await client.post('/api/orgs', { name: 'x'.repeat(101) });
    expect(tooLong).toMatchObject({ status: 400, body: { error: { field: 'name' } } });

    // Somebody else does not see these orgs.
    const other = await api.signedUpUser('orgs-other');
    const theirs = await other.client.get<OrgView[]>('/api/orgs');
    expect(theirs.body.map((o) => o.id)).toEqual([other.orgId]);
  });

  it('lets owners and admins rename the org, not viewers', async () => {
    const owner = await api.signedUpUser('rename-owner');
    const admin = await api.joinedMember(owner.client, owner.orgId, 'admin');
    const viewer = await api.joinedMember(owner.client, owner.orgId, 'viewer');

    const renamed = await owner.client.patch<OrgView>(`/api/orgs/${owner.orgId}`, { name: '  Acme Kites  ' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: owner.orgId, name: 'Acme Kites', role: 'owner' });
    const byAdmin = await admin.client.patch<OrgView>(`/api/orgs/${owner.orgId}`, { name: 'Acme' });
    expect(byAdmin.body).toMatchObject({ name: 'Acme', role: 'admin' });
    const byViewer = await viewer.client.patch(`/api/orgs/${owner.orgId}`, { name: 'Mine now' });
    expect(byViewer).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    const blank = await owner.client.patch(`/api/orgs/${owner.orgId}`, { name: ' ' });
    expect(blank).toMatchObject({ status: 400, body: { error: { field: 'name' } } });

    const seen = await viewer.client.get<OrgView[]>('/api/orgs');
    expect(seen.body).toEqual([expect.objectContaining({ id: owner.orgId, name: 'Acme' })]);
  });

  it('lists members; the owner changes roles, admins and viewers cannot', async () => {
    const owner = await api.signedUpUser('roles-owner');
    const admin = await api.joinedMember(owner.client, owner.orgId, 'admin');
    const viewer = await api.joinedMember(owner.client, owner.orgId, 'viewer');

    const members = await viewer.client.get<MemberView[]>(`/api/orgs/${owner.orgId}/members`);
    expect(members.status).toBe(200);
    expect(members.body.map((m) => [m.email, m.role])).toEqual([
      [owner.email, 'owner'],
      [admin.email, 'admin'],
      [viewer.email, 'viewer'],
    ]);

    const byAdmin = await admin.client.patch(`/api/orgs/${owner.orgId}/members/${viewer.userId}`, {
      role: 'admin',
    });
    expect(byAdmin).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    const selfPromotion = await viewer.client.patch(`/api/orgs/${owner.orgId}/members/${viewer.userId}`, {
      role: 'owner',
    });
    expect(selfPromotion.status).toBe(403);

    const promoted = await owner.client.patch<MemberView>(
      `/api/orgs/${owner.orgId}/members/${viewer.userId}`,
      { role: 'admin' },
    );
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ userId: viewer.userId, email: viewer.email, role: 'admin' });
    const me = await viewer.client.get<MeResponse>('/api/auth/me');
    expect(me.body.orgs).toEqual([expect.objectContaining({ orgId: owner.orgId, role: 'admin' })]);

    const badRole = await owner.client.patch(`/api/orgs/${owner.orgId}/members/${viewer.userId}`, {
      role: 'superuser',
    });
    expect(badRole).toMatchObject({ status: 400, body: { error: { field: 'role' } } });
    const stranger = await owner.client.patch(`/api/orgs/${owner.orgId}/members/${randomUUID()}`, {
      role: 'viewer',
    });
    expect(stranger.status).toBe(404);
    const notUuid = await owner.client.patch(`/api/orgs/${owner.orgId}/members/not-a-uuid`, {
      role: 'viewer',
    });
    expect(notUuid.status).toBe(404);
  });

  it('never leaves an org without an owner (409 last_owner), also under concurrent demotions', async () => {
    const owner = await api.signedUpUser('last-owner');
    const url = (userId: string) => `/api/orgs/${owner.orgId}/members/${userId}`;
    const userId = owner.me.user.id;

    const demote = await owner.client.patch(url(userId), { role: 'admin' });
    expect(demote).toMatchObject({ status: 409, body: { error: { code: 'last_owner' } } });
    const leave = await owner.client.delete(url(userId));
    expect(leave).toMatchObject({ status: 409, body: { error: { code: 'last_owner' } } });

    // With a second owner, either may step down, but not both at once.
    const second = await api.joinedMember(owner.client, owner.orgId, 'owner', 'second-owner');
    for (let round = 0; round < 5; round++) {
      const [a, b] = await Promise.all([
        owner.client.patch(url(second.userId), { role: 'admin' }),
        second.client.patch(url(userId), { role: 'admin' }),
      ]);
      const members = (await owner.client.get<MemberView[]>(`/api/orgs/${owner.orgId}/members`)).body;
      const owners = members.filter((m) => m.role === 'owner');
      expect(owners).toHaveLength(1);
      // The loser is refused: 409 when both passed the role check, 403 when it was already demoted.
      const statuses = [a.status, b.status].sort();
      expect(statuses[0]).toBe(200);
      expect([403, 409]).toContain(statuses[1]);
      // Restore two owners for the next round.
      const remaining = owners[0]?.userId === userId ? owner.client : second.client;
      const demoted = owners[0]?.userId === userId ? second.userId : userId;
      expect((await remaining.patch(url(demoted), { role: 'owner' })).status).toBe(200);
    }

    expect((await owner.client.patch(url(userId), { role: 'viewer' })).status).toBe(200);
    const secondLeaves = await second.client.delete(url(second.userId));
    expect(secondLeaves).toMatchObject({ status: 409, body: { error: { code: 'last_owner' } } });
    const removeOwner = await owner.client.delete(url(second.userId));
    expect(removeOwner.status).toBe(403); // a viewer now
  });

  it('lets a viewer leave the org but not remove anyone else; owners remove members', async () => {
    const owner = await api.signedUpUser('leave-owner');
    const viewer = await api.joinedMember(owner.client, owner.orgId, 'viewer');
    const admin = await api.joinedMember(owner.client, owner.orgId, 'admin');
    const base = `/api/orgs/${owner.orgId}/members`;

    expect((await viewer.client.delete(`${base}/${admin.userId}`)).status).toBe(403);
    expect((await admin.client.delete(`${base}/${viewer.userId}`)).status).toBe(403);

    expect((await viewer.client.delete(`${base}/${viewer.userId}`)).status).toBe(204);
    expect((await viewer.client.get(base)).status).toBe(404); // no longer a member: the org is gone for them
    expect((await viewer.client.get<OrgView[]>('/api/orgs')).body).toEqual([]);

    expect((await owner.client.delete(`${base}/${admin.userId}`)).status).toBe(204);
    expect((await owner.client.delete(`${base}/${admin.userId}`)).status).toBe(404);
    const left = (await owner.client.get<MemberView[]>(base)).body;
    expect(left.map((m) => m.userId)).toEqual([owner.me.user.id]);
  });

  it('invites by email: the mail links to /invitations/<token>, the preview is public, sign-up joins the org verified', async () => {
    const owner = await api.signedUpUser('inviter');
    const admin = await api.joinedMember(owner.client, owner.orgId, 'admin');
    const email = api.uniqueEmail('invitee');
    const invited = await admin.client.post<InvitationView>(`/api/orgs/${owner.orgId}/invitations`, {
      email: email.toUpperCase(),
      role: 'viewer',
    });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ email, role: 'viewer', invitedBy: admin.userId });
    expect(JSON.stringify(invited.body)).not.toMatch(/token/i);

    const mail = await api.mail.waitFor(email, /You are invited to/);
    expect(mail.text).toContain('as viewer');
    const link = /https?:\/\/\S+/.exec(mail.text)?.[0] ?? '';
    expect(link.startsWith(`${APP_ORIGIN}/invitations/`)).toBe(true);
    const token = MailCatcher.tokenFrom(mail);
    expect(token.length).toBeGreaterThanOrEqual(32);

    const pending = await owner.client.get<InvitationView[]>(`/api/orgs/${owner.orgId}/invitations`);
    expect(pending.body.map((i) => i.id)).toContain(invited.body.id);

    const preview = await api.client().get<InvitationPreview>(`/api/invitations/${token}`);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ email, role: 'viewer' });
    const orgName = (await owner.client.get<OrgView[]>('/api/orgs')).body[0]?.name;
    expect(preview.body.orgName).toBe(orgName);
    expect((await api.client().get(`/api/invitations/${token}x`)).status).toBe(404);

    const mailsBefore = api.mail.mails.length;
    const newcomer = api.client();
    const signup = await newcomer.post<MeResponse>('/api/auth/signup', {
      email,
      password: 'invited password 1',
      invitationToken: token,
    });
    expect(signup.status).toBe(201);
    expect(signup.body.user.emailVerified).toBe(true);
    expect(signup.body.orgs).toEqual([{ orgId: owner.orgId, orgName, role: 'viewer' }]); // no own org
    expect((await newcomer.get<OrgView[]>('/api/orgs')).body).toHaveLength(1);
    // Invited addresses are proven by the link: no verification mail goes out.
    await new Promise((r) => setTimeout(r, 200));
    expect(api.mail.mails.slice(mailsBefore).filter((m) => m.to.includes(email))).toEqual([]);

    // Tokens work once.
    expect((await api.client().get(`/api/invitations/${token}`)).status).toBe(404);
    const reuse = await api.client().post('/api/auth/signup', {
      email: api.uniqueEmail('reuse'),
      password: 'another password 1',
      invitationToken: token,
    });
    expect(reuse).toMatchObject({ status: 400, body: { error: { field: 'invitationToken' } } });
    const stillPending = await owner.client.get<InvitationView[]>(`/api/orgs/${owner.orgId}/invitations`);
    expect(stillPending.body.map((i) => i.id)).not.toContain(invited.body.id);
  });

  it('lets an existing user accept only an invitation sent to their own address, once', async () => {
    const owner = await api.signedUpUser('accept-owner');
    const invitee = await api.signedUpUser('accept-invitee');
    const someoneElse = await api.signedUpUser('accept-else');
    expect(
      (
        await owner.client.post(`/api/orgs/${owner.orgId}/invitations`, {
          email: invitee.email,
          role: 'admin',
        })
      ).status,
    ).toBe(201);
    const token = MailCatcher.tokenFrom(await api.mail.waitFor(invitee.email, /You are invited to/));

    expect((await api.client().post('/api/invitations/accept', { token })).status).toBe(401);
    const forwarded = await someoneElse.client.post('/api/invitations/accept', { token });
    expect(forwarded).toMatchObject({ status: 403, body: { error: { code: 'invitation_email_mismatch' } } });
    expect((await someoneElse.client.get(`/api/orgs/${owner.orgId}/members`)).status).toBe(404);

    const accepted = await invitee.client.post<OrgView>('/api/invitations/accept', { token });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ id: owner.orgId, role: 'admin' });
    const me = await invitee.client.get<MeResponse>('/api/auth/me');
    expect(me.body.orgs.map((o) => [o.orgId, o.role]).sort()).toEqual(
      [
        [invitee.orgId, 'owner'],
        [owner.orgId, 'admin'],
      ].sort(),
    );

    const again = await invitee.client.post('/api/invitations/accept', { token });
    expect(again).toMatchObject({ status: 400, body: { error: { field: 'token' } } });
    const bogus = await invitee.client.post('/api/invitations/accept', { token: 'not-a-token' });
    expect(bogus.status).toBe(400);
  });

  it('does not let a forwarded link sign up a different address into the org', async () => {
    const owner = await api.signedUpUser('forward-owner');
    const email = api.uniqueEmail('forward-invitee');
    await owner.client.post(`/api/orgs/${owner.orgId}/invitations`, { email, role: 'admin' });
    const token = MailCatcher.tokenFrom(await api.mail.waitFor(email, /You are invited to/));
    const res = await api.client().post<MeResponse>('/api/auth/signup', {
      email: api.uniqueEmail('forward-thief'),
      password: 'thief password 1',
      invitationToken: token,
    });
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'invitation_email_mismatch' } } });
    expect((await owner.client.get<MemberView[]>(`/api/orgs/${owner.orgId}/members`)).body).toHaveLength(1);
  });

  it('revoked invitations stop working', async () => {
    const owner = await api.signedUpUser('revoke-owner');
    const invitee = await api.signedUpUser('revoke-invitee');
    const invited = await owner.client.post<InvitationView>(`/api/orgs/${owner.orgId}/invitations`, {
      email: invitee.email,
    });
    expect(invited.body.role).toBe('viewer'); // the default
    const token = MailCatcher.tokenFrom(await api.mail.waitFor(invitee.email, /You are invited to/));
    expect((await api.client().get(`/api/invitations/${token}`)).status).toBe(200);

    const url = `/api/orgs/${owner.orgId}/invitations/${invited.body.id}`;
    expect((await owner.client.delete(url)).status).toBe(204);
    expect((await owner.client.delete(url)).status).toBe(404);
    expect((await owner.client.get<InvitationView[]>(`/api/orgs/${owner.orgId}/invitations`)).body).toEqual(
      [],
    );

    expect((await api.client().get(`/api/invitations/${token}`)).status).toBe(404);
    expect((await invitee.client.post('/api/invitations/accept', { token })).status).toBe(400);
    const signup = await api.client().post('/api/auth/signup', {
      email: api.uniqueEmail('revoked'),
      password: 'revoked password 1',
      invitationToken: token,
    });
    expect(signup).toMatchObject({ status: 400, body: { error: { field: 'invitationToken' } } });
    expect((await owner.client.get<MemberView[]>(`/api/orgs/${owner.orgId}/members`)).body).toHaveLength(1);
  });

  it('enforces who may invite whom', async () => {
    const owner = await api.signedUpUser('invite-rules');
    await api.setPlan(owner.orgId, 'basic'); // five seats: more than the free plan's three
    const admin = await api.joinedMember(owner.client, owner.orgId, 'admin');
    const viewer = await api.joinedMember(owner.client, owner.orgId, 'viewer');
    const base = `/api/orgs/${owner.orgId}/invitations`;

    const adminInvitesOwner = await admin.client.post(base, { email: api.uniqueEmail('x'), role: 'owner' });
    expect(adminInvitesOwner).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    const adminInvitesAdmin = await admin.client.post(base, { email: api.uniqueEmail('y'), role: 'admin' });
    expect(adminInvitesAdmin.status).toBe(201);
    const ownerInvitesOwner = await owner.client.post(base, { email: api.uniqueEmail('z'), role: 'owner' });
    expect(ownerInvitesOwner.status).toBe(201);

    const viewerInvites = await viewer.client.post(base, { email: api.uniqueEmail('v'), role: 'viewer' });
    expect(viewerInvites.status).toBe(403);
    expect((await viewer.client.get(base)).status).toBe(403);

    const existing = await owner.client.post(base, { email: viewer.email.toUpperCase(), role: 'admin' });
    expect(existing).toMatchObject({
      status: 409,
      body: { error: { code: 'already_member', field: 'email' } },
    });
    const badEmail = await owner.client.post(base, { email: 'nope', role: 'viewer' });
    expect(badEmail).toMatchObject({ status: 400, body: { error: { field: 'email' } } });
    const badRole = await owner.client.post(base, { email: api.uniqueEmail('r'), role: 'god' });
    expect(badRole).toMatchObject({ status: 400, body: { error: { field: 'role' } } });

    const listed = (await admin.client.get<InvitationView[]>(base)).body;
    expect(listed.map((i) => i.role).sort()).toEqual(['admin', 'owner']);
  });

  it("enforces the plan's member limit on invitations and on joining, counting pending invitations", async () => {
    const owner = await api.signedUpUser('seats'); // free plan: 3 members
    const base = `/api/orgs/${owner.orgId}/invitations`;
    await api.joinedMember(owner.client, owner.orgId, 'viewer'); // 2 members
    const pendingEmail = api.uniqueEmail('seat-pending');
    const pending = await owner.client.post<InvitationView>(base, { email: pendingEmail, role: 'viewer' });
    expect(pending.status).toBe(201); // 2 members + 1 pending = 3 seats

    const refused = await owner.client.post<{ error: { code: string; message: string } }>(base, {
      email: api.uniqueEmail('seat-over'),
      role: 'viewer',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('member_limit_reached');
    expect(refused.body.error.message).toMatch(
      /Free plan allows 3 members and this org has 2 members and 1 pending invitation.*Basic/,
    );
    expect((await owner.client.get<InvitationView[]>(base)).body).toHaveLength(1); // nothing stored

    // Revoking the pending invitation frees its seat.
    expect((await owner.client.delete(`${base}/${pending.body.id}`)).status).toBe(204);
    const joinerEmail = api.uniqueEmail('seat-joiner');
    const third = await owner.client.post<InvitationView>(base, { email: joinerEmail, role: 'viewer' });
    expect(third.status).toBe(201);
    const token = MailCatcher.tokenFrom(await api.mail.waitFor(joinerEmail, /invited to/));

    // A seat taken by other means meanwhile (here: a member who joined on a bigger plan before a
    // downgrade) makes the accept fail too, by sign-up and by an existing account alike.
    await api.setPlan(owner.orgId, 'basic');
    const extra = await api.joinedMember(owner.client, owner.orgId, 'viewer'); // 3 members + 1 pending
    await api.setPlan(owner.orgId, 'free');
    const signup = await api.client().post('/api/auth/signup', {
      email: joinerEmail,
      password: 'a long enough password',
      invitationToken: token,
    });
    expect(signup).toMatchObject({ status: 409, body: { error: { code: 'member_limit_reached' } } });
    const members = await owner.client.get<unknown[]>(`/api/orgs/${owner.orgId}/members`);
    expect(members.body).toHaveLength(3);

    expect((await owner.client.delete(`/api/orgs/${owner.orgId}/members/${extra.userId}`)).status).toBe(204);
    const joined = await api.client().post('/api/auth/signup', {
      email: joinerEmail,
      password: 'a long enough password',
      invitationToken: token,
    });
    expect(joined.status).toBe(201);
    expect((await owner.client.get<unknown[]>(`/api/orgs/${owner.orgId}/members`)).body).toHaveLength(3);
  });
});
