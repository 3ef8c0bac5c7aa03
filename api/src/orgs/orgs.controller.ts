import { Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import {
  createInvitationBody,
  createOrgBody,
  updateOrgBody,
  tokenBody,
  updateMemberBody,
  type CreateInvitationBody,
  type CreateOrgBody,
  type InvitationView,
  type MemberView,
  type OrgView,
  type TokenBody,
  type UpdateMemberBody,
  type UpdateOrgBody,
} from '@sightline/api-contract';
import { forbidden, notFound } from '../common/domain-error';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { Endpoint, ValidBody } from '../common/endpoint.decorator';
import { CurrentUser, type UserPrincipal } from '../common/principal';
import { InvitationService } from './invitation.service';
import { ANY_ROLE, MANAGERS, OrgAccessService, isUuid } from './org-access.service';
import { OrgsService } from './orgs.service';

@Controller('api/orgs')
export class OrgsController {
  constructor(
    @Inject(OrgsService) private readonly orgs: OrgsService,
    @Inject(InvitationService) private readonly invitations: InvitationService,
    @Inject(OrgAccessService) private readonly access: OrgAccessService,
  ) {}

  @Get()
  @Endpoint({ summary: 'Orgs the signed-in user belongs to', response: 'OrgView[]', tag: 'orgs' })
  list(@CurrentUser() user: UserPrincipal): Promise<OrgView[]> {
    return this.orgs.listForUser(user.userId);
  }

  @Post()
  @RateLimit({ points: 10, per: 'hour', key: 'user' })
  @Endpoint({
    summary: 'Create an org (the creator becomes its owner)',
    body: createOrgBody,

    response: 'OrgView',
    tag: 'orgs',
  })
  create(@CurrentUser() user: UserPrincipal, @ValidBody() body: CreateOrgBody): Promise<OrgView> {
    return this.orgs.create(user.userId, body.name);
  }

  @Patch(':orgId')
  @RateLimit({ points: 30, per: 'minute', key: 'user' })
  @Endpoint({
    summary: 'Rename an org (owners and admins)',
    body: updateOrgBody,
    response: 'OrgView',
    tag: 'orgs',
  })
  async rename(
    @CurrentUser() user: UserPrincipal,
    @Param('orgId') orgId: string,
    @ValidBody() body: UpdateOrgBody,
  ): Promise<OrgView> {
    const role = await this.access.requireRole(user, orgId, MANAGERS);
    return this.orgs.rename(orgId, body.name, role);
  }

  @Get(':orgId/members')
  @Endpoint({ summary: 'Members of an org', response: 'MemberView[]', tag: 'orgs' })
  async members(@CurrentUser() user: UserPrincipal, @Param('orgId') orgId: string): Promise<MemberView[]> {
    await this.access.requireRole(user, orgId, ANY_ROLE);
    return this.orgs.members(orgId);
  }

  @Patch(':orgId/members/:userId')
  @RateLimit({ points: 30, per: 'minute', key: 'user' })
  @Endpoint({
    summary: "Change a member's role (owners only)",
    body: updateMemberBody,
    response: 'MemberView',
    tag: 'orgs',
  })
  async changeRole(
    @CurrentUser() user: UserPrincipal,
    @Param('orgId') orgId: string,
    @Param('userId') userId: string,
    @ValidBody() body: UpdateMemberBody,
  ): Promise<MemberView> {
    await this.access.requireRole(user, orgId, ['owner']);
    if (!isUuid(userId)) throw notFound('Member');
    return this.orgs.changeRole(orgId, userId, body.role);
  }

  @Delete(':orgId/members/:userId')
  @HttpCode(204)
  @RateLimit({ points: 30, per: 'minute', key: 'user' })
  @Endpoint({ summary: 'Remove a member (owners), or leave the org (yourself)', tag: 'orgs' })
  async removeMember(
    @CurrentUser() user: UserPrincipal,
    @Param('orgId') orgId: string,
    @Param('userId') userId: string,
  ): Promise<void> {
    const role = await this.access.requireRole(user, orgId, ANY_ROLE);
    if (userId !== user.userId && role !== 'owner') throw forbidden('Only owners can remove other members');
    if (!isUuid(userId)) throw notFound('Member');
    await this.orgs.removeMember(orgId, userId);
  }

  @Get(':orgId/invitations')
  @Endpoint({ summary: 'Pending invitations', response: 'InvitationView[]', tag: 'orgs' })
  async listInvitations(
    @CurrentUser() user: UserPrincipal,
    @Param('orgId') orgId: string,
  ): Promise<InvitationView[]> {
    await this.access.requireRole(user, orgId, MANAGERS);
    return this.invitations.list(orgId);
  }

  @Post(':orgId/invitations')
  @RateLimit({ points: 20, per: 'hour', key: 'user' }, { points: 50, per: 'day', key: 'org' })
  @Endpoint({
    summary: 'Invite someone by email',
    body: createInvitationBody,

    response: 'InvitationView',
    tag: 'orgs',
  })
  async invite(
    @CurrentUser() user: UserPrincipal,
    @Param('orgId') orgId: string,
    @ValidBody() body: CreateInvitationBody,
  ): Promise<InvitationView> {
    const role = await this.access.requireRole(user, orgId, MANAGERS);
    return this.invitations.create(orgId, user.userId, role, body);
  }

  @Delete(':orgId/invitations/:id')
  @HttpCode(204)
  @RateLimit({ points: 30, per: 'minute', key: 'user' })
  @Endpoint({ summary: 'Revoke a pending invitation', tag: 'orgs' })
  async revokeInvitation(
    @CurrentUser() user: UserPrincipal,
    @Param('orgId') orgId: string,
    @Param('id') id: string,
  ): Promise<void> {
    await this.access.requireRole(user, orgId, MANAGERS);
    if (!isUuid(id)) throw notFound('Invitation');
    await this.invitations.revoke(orgId, id);
  }
}

@Controller('api/invitations')
export class InvitationAcceptController {
  constructor(@Inject(InvitationService) private readonly invitations: InvitationService) {}

  @Post('accept')
  @HttpCode(200)
  @RateLimit({ points: 10, per: 'minute', key: 'user' })
  @Endpoint({
    summary: 'Join the org of an invitation sent to your address',
    body: tokenBody,

    response: 'OrgView',
    tag: 'orgs',
  })
  accept(@CurrentUser() user: UserPrincipal, @ValidBody() body: TokenBody): Promise<OrgView> {
    return this.invitations.accept(body.token, user.userId);
  }
}
