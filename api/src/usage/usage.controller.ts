import { Controller, Get, Inject, Param } from '@nestjs/common';
import type { OrgUsageView } from '@sightline/api-contract';
import { Endpoint } from '../common/endpoint.decorator';
import { CurrentUser, type UserPrincipal } from '../common/principal';
import { ANY_ROLE, OrgAccessService } from '../orgs/org-access.service';
import { UsageService } from './usage.service';

@Controller('api/orgs')
export class UsageController {
  constructor(
    @Inject(UsageService) private readonly usage: UsageService,
    @Inject(OrgAccessService) private readonly access: OrgAccessService,
  ) {}

  @Get(':orgId/usage')
  @Endpoint({
    summary: 'Billable events in the current and previous usage cycles (as billing counts them)',
    response: 'OrgUsageView',
    tag: 'orgs',
  })
  async usageOf(@CurrentUser() user: UserPrincipal, @Param('orgId') orgId: string): Promise<OrgUsageView> {
    await this.access.requireRole(user, orgId, ANY_ROLE);
    return this.usage.forOrg(orgId);
  }
}
