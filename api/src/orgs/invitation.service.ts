import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type {
  CreateInvitationBody,
  InvitationPreview,
  InvitationView,
  OrgView,
} from '@sightline/api-contract';
import type { ApiConfig } from '@sightline/config';
import { DomainError, conflict, forbidden, invalid, notFound } from '../common/domain-error';
import { RateLimits } from '../common/rate-limits';
import { hashSecretToken, newSecretToken } from '../common/secret-token';
import { API_CONFIG } from '../common/tokens';
import { UserRepository } from '../auth/user.repository';
import { mailTemplates } from '../mail/mail-templates';
import { Mailer } from '@sightline/mail';
import type { InvitationEntity } from '@sightline/database';
import { BillingService } from '../billing/billing.service';
import { OrgRepository } from './org.repository';

const WEEK_MS = 7 * 86_400_000;

/** Invitations by email: owners and admins invite, the link's holder joins with the given role. */
@Injectable()
export class InvitationService {
  constructor(
    @Inject(OrgRepository) private readonly orgs: OrgRepository,
    @Inject(UserRepository) private readonly users: UserRepository,
    @Inject(Mailer) private readonly mailer: Mailer,
    @Inject(RateLimits) private readonly limits: RateLimits,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(BillingService) private readonly billing: BillingService,
  ) {}

  async create(
    orgId: string,
    inviterId: string,
    inviterRole: string,
    body: CreateInvitationBody,
  ): Promise<InvitationView> {
    if (body.role === 'owner' && inviterRole !== 'owner') throw forbidden('Only owners can invite owners');
    const org = await this.orgs.findOrg(orgId);
    const inviter = await this.users.findById(inviterId);
    if (!org || !inviter) throw notFound('Org');
    const existing = await this.users.findByEmail(body.email);
    if (existing && (await this.orgs.findMembership(orgId, existing.id)))
      throw conflict('already_member', 'This person is already a member of the org', 'email');
    await this.limits.consumeEmailSend(body.email, 'invitation');

    const token = newSecretToken();
    // Pending invitations hold a seat of the plan's member limit; the org row lock makes two
    // invitations at once count each other.
    const invitation = await this.orgs.transaction(async (manager) => {
      await this.orgs.lockOrg(orgId, manager);
      await this.billing.assertCanAddMember(orgId, await this.orgs.countSeats(orgId, manager));
      return this.orgs.createInvitation(
        {
          orgId,
          email: body.email,
          role: body.role,
          tokenHash: hashSecretToken(token),
          invitedBy: inviterId,
          expiresAt: new Date(Date.now() + WEEK_MS),
        },
        manager,
      );
    });
    const link = new URL(`/invitations/${token}`, this.config.PUBLIC_APP_URL).toString();
    await this.mailer.send(
      mailTemplates.invitation(body.email, {
        orgName: org.name,
        inviter: inviter.name ?? inviter.email,
        role: body.role,
        link,
      }),
    );
    return toView(invitation);
  }

  async list(orgId: string): Promise<InvitationView[]> {
    return (await this.orgs.listPendingInvitations(orgId)).map(toView);
  }

  async revoke(orgId: string, id: string): Promise<void> {
    if (!(await this.orgs.deleteInvitation(orgId, id))) throw notFound('Invitation');
  }

  findPending(token: string): Promise<InvitationEntity | null> {
    return this.orgs.findPendingInvitationByTokenHash(hashSecretToken(token));
  }

  async preview(token: string): Promise<InvitationPreview> {
    const invitation = await this.findPending(token);
    if (!invitation?.org) throw notFound('Invitation');
    return {
      orgName: invitation.org.name,
      email: invitation.email,
      role: invitation.role,
      expiresAt: invitation.expiresAt.toISOString(),
    };
  }

  /** Accepting needs the invited address: a forwarded link does not let someone else in. */
  async accept(token: string, userId: string): Promise<OrgView> {
    const invitation = await this.findPending(token);
    const user = await this.users.findById(userId);
    if (!invitation?.org || !user)
      throw invalid('token', 'this invitation is invalid, expired or already used');
    if (invitation.email !== user.email)
      throw new DomainError(
        403,
        'invitation_email_mismatch',
        `This invitation was sent to ${invitation.email}`,
      );
    await this.orgs.transaction((manager) => this.acceptWithin(invitation, userId, manager));
    const membership = await this.orgs.findMembership(invitation.orgId, userId);
    return {
      id: invitation.orgId,
      name: invitation.org.name,
      role: membership?.role ?? invitation.role,
      createdAt: invitation.org.createdAt.toISOString(),
    };
  }

  /** Joins within the caller's transaction; refused when the org's plan has no seat left for a new member. */
  async acceptWithin(invitation: InvitationEntity, userId: string, manager: EntityManager): Promise<void> {
    await this.orgs.lockOrg(invitation.orgId, manager);
    if (!(await this.orgs.findMembership(invitation.orgId, userId, manager))) {
      // This invitation's own seat is being taken: count the members only (the org may have
      // moved to a smaller plan since it was sent).
      const { members } = await this.orgs.countSeats(invitation.orgId, manager);
      await this.billing.assertCanAddMember(invitation.orgId, { members, pending: 0 });
    }
    if (!(await this.orgs.markInvitationAccepted(invitation.id, manager)))
      throw invalid('token', 'this invitation is invalid, expired or already used');
    await this.orgs.addMember(invitation.orgId, userId, invitation.role, manager);
  }
}

function toView(i: InvitationEntity): InvitationView {
  return {
    id: i.id,
    email: i.email,
    role: i.role,
    invitedBy: i.invitedBy,
    createdAt: i.createdAt.toISOString(),
    expiresAt: i.expiresAt.toISOString(),
  };
}
