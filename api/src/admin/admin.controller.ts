import { Controller, Get, HttpCode, Inject, Param, Post, Query, applyDecorators } from '@nestjs/common';
import type { z } from 'zod';
import {
  adminQuotaBody,
  adminReasonBody,
  createAnnouncementBody,
  type AdminQuotaBody,
  type AdminAuditEntry,
  type AdminOrgDetail,
  type AdminReasonBody,
  type AdminSearchResult,
  type AdminUserDetail,
  type AnnouncementView,
  type CreateAnnouncementBody,
} from '@sightline/api-contract';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { Endpoint, ValidBody } from '../common/endpoint.decorator';
import { CurrentUser, type UserPrincipal } from '../common/principal';
import { AdminService } from './admin.service';

/** A support action on one org or user (audited, with a reason): staff only, 200, 30 a minute per staff. */
function StaffAction(summary: string, body: z.ZodType): MethodDecorator {
  return applyDecorators(
    HttpCode(200),
    RateLimit({ points: 30, per: 'minute', key: 'user' }),
    Endpoint({ summary, access: 'staff', body, tag: 'admin' }),
  );
}

/** Support panel. `access: 'staff'`: staff with 2FA only; everyone else gets 404. */
@Controller('api/admin')
export class AdminController {
  constructor(@Inject(AdminService) private readonly admin: AdminService) {}

  @Get('search')
  @Endpoint({ summary: 'Find users and orgs by email, name or site domain', access: 'staff', tag: 'admin' })
  search(@Query('q') q: unknown): Promise<AdminSearchResult> {
    return this.admin.search(typeof q === 'string' ? q : '');
  }

  @Get('orgs/:id')
  @Endpoint({ summary: "An org's members, sites and last sign-ins", access: 'staff', tag: 'admin' })
  org(@Param('id') id: string): Promise<AdminOrgDetail> {
    return this.admin.org(id);
  }

  @Post('orgs/:id/extend-grace')
  @StaffAction("Extend an org's quota grace period by some days", adminQuotaBody)
  extendGrace(
    @CurrentUser() staff: UserPrincipal,
    @Param('id') id: string,
    @ValidBody() body: AdminQuotaBody,
  ): Promise<AdminOrgDetail> {
    return this.admin.extendGrace(staff.userId, id, body.days, body.reason);
  }

  @Post('orgs/:id/unlock-stats')
  @StaffAction(
    "Unlock an org's stats now, with days of grace before the quota may lock them again",
    adminQuotaBody,
  )
  unlockStats(
    @CurrentUser() staff: UserPrincipal,
    @Param('id') id: string,
    @ValidBody() body: AdminQuotaBody,
  ): Promise<AdminOrgDetail> {
    return this.admin.unlockStats(staff.userId, id, body.days, body.reason);
  }

  @Post('orgs/:id/allow-plan-change')
  @StaffAction("Let the org's next plan change skip the recent-usage check, once", adminReasonBody)
  allowPlanChange(
    @CurrentUser() staff: UserPrincipal,
    @Param('id') id: string,
    @ValidBody() body: AdminReasonBody,
  ): Promise<AdminOrgDetail> {
    return this.admin.allowPlanChange(staff.userId, id, body.reason);
  }

  @Get('users/:id')
  @Endpoint({ summary: "A user's orgs, state and recent sign-ins", access: 'staff', tag: 'admin' })
  user(@Param('id') id: string): Promise<AdminUserDetail> {
    return this.admin.user(id);
  }

  @Post('users/:id/block')
  @StaffAction('Block a user (sessions end, sign-in refused)', adminReasonBody)
  block(
    @CurrentUser() staff: UserPrincipal,
    @Param('id') id: string,
    @ValidBody() body: AdminReasonBody,
  ): Promise<AdminUserDetail> {
    return this.admin.block(staff.userId, id, body.reason);
  }

  @Post('users/:id/unblock')
  @StaffAction('Unblock a user', adminReasonBody)
  unblock(
    @CurrentUser() staff: UserPrincipal,
    @Param('id') id: string,
    @ValidBody() body: AdminReasonBody,
  ): Promise<AdminUserDetail> {
    return this.admin.unblock(staff.userId, id, body.reason);
  }

  @Post('users/:id/approve-deletion')
  @StaffAction(
    'Delete an account whose deletion was requested at the next job run, not after 72 hours',
    adminReasonBody,
  )
  approveDeletion(
    @CurrentUser() staff: UserPrincipal,
    @Param('id') id: string,
    @ValidBody() body: AdminReasonBody,
  ): Promise<{ deletedBy: string }> {
    return this.admin.approveDeletion(staff.userId, id, body.reason);
  }

  @Get('announcements')
  @Endpoint({ summary: 'Recent announcements', access: 'staff', tag: 'admin' })
  announcements(): Promise<AnnouncementView[]> {
    return this.admin.listAnnouncements();
  }

  @Post('announcements')
  @RateLimit({ points: 10, per: 'minute', key: 'user' })
  @Endpoint({
    summary: 'Post a banner to every user or one org until it expires, optionally mailed',
    access: 'staff',
    body: createAnnouncementBody,
    tag: 'admin',
  })
  announce(
    @CurrentUser() staff: UserPrincipal,
    @ValidBody() body: CreateAnnouncementBody,
  ): Promise<AnnouncementView> {
    return this.admin.announce(staff.userId, body);
  }

  @Get('audit-log')
  @Endpoint({ summary: 'The admin audit log, newest first (100 per page)', access: 'staff', tag: 'admin' })
  auditLog(@Query('before') before: unknown, @Query('target') target: unknown): Promise<AdminAuditEntry[]> {
    return this.admin.auditLog({
      ...(typeof before === 'string' ? { beforeId: before } : {}),
      ...(typeof target === 'string' ? { targetId: target } : {}),
    });
  }
}
