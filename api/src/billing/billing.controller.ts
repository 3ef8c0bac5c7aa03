import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import {
  checkoutBody,
  syncCheckoutBody,
  type BillingView,
  type CheckoutBody,
  type PlanView,
  type RedirectView,
  type SyncCheckoutBody,
} from '@sightline/api-contract';
import { Endpoint, ValidBody } from '../common/endpoint.decorator';
import { CurrentUser, type UserPrincipal } from '../common/principal';
import { ANY_ROLE, OrgAccessService } from '../orgs/org-access.service';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { BillingRepository } from './billing.repository';
import { BillingService } from './billing.service';

@Controller('api')
export class BillingController {
  constructor(
    @Inject(BillingService) private readonly billing: BillingService,
    @Inject(BillingRepository) private readonly repository: BillingRepository,
    @Inject(OrgAccessService) private readonly access: OrgAccessService,
  ) {}

  @Get('plans')
  @Endpoint({
    summary: 'The plans on sale (pricing table)',
    access: 'public',
    response: 'PlanView[]',
    tag: 'billing',
  })
  plans(): PlanView[] {
    return this.billing.plans();
  }

  @Get('orgs/:orgId/billing')
  @Endpoint({
    summary: 'Plan, cycle usage and quota state of an org',
    response: 'BillingView',
    tag: 'billing',
  })
  async view(@CurrentUser() user: UserPrincipal, @Param('orgId') orgId: string): Promise<BillingView> {
    await this.access.requireRole(user, orgId, ANY_ROLE);
    return this.billing.view(orgId);
  }

  @Post('orgs/:orgId/billing/checkout')
  @RateLimit({ points: 10, per: 'minute', key: 'user' })
  @HttpCode(200)
  @Endpoint({
    summary:
      'Start a Stripe Checkout for a paid plan (owners); 409 when the plan is too small for recent usage',
    body: checkoutBody,
    response: 'RedirectView',
    tag: 'billing',
  })
  async checkout(
    @CurrentUser() user: UserPrincipal,
    @Param('orgId') orgId: string,
    @ValidBody() body: CheckoutBody,
  ): Promise<RedirectView> {
    await this.access.requireRole(user, orgId, ['owner']);
    return this.billing.checkout(orgId, await this.repository.userEmail(user.userId), body);
  }

  @Post('orgs/:orgId/billing/portal')
  @RateLimit({ points: 10, per: 'minute', key: 'user' })
  @HttpCode(200)
  @Endpoint({ summary: 'Open the Stripe Customer Portal (owners)', response: 'RedirectView', tag: 'billing' })
  async portal(@CurrentUser() user: UserPrincipal, @Param('orgId') orgId: string): Promise<RedirectView> {
    await this.access.requireRole(user, orgId, ['owner']);
    return this.billing.portal(orgId);
  }

  @Post('orgs/:orgId/billing/sync')
  @RateLimit({ points: 30, per: 'minute', key: 'user' })
  @HttpCode(200)
  @Endpoint({
    summary: 'After checkout: sync the subscription from Stripe (the success page calls this)',
    body: syncCheckoutBody,
    response: 'BillingView',
    tag: 'billing',
  })
  async sync(
    @CurrentUser() user: UserPrincipal,
    @Param('orgId') orgId: string,
    @ValidBody() body: SyncCheckoutBody,
  ): Promise<BillingView> {
    await this.access.requireRole(user, orgId, ANY_ROLE);
    return this.billing.syncCheckout(orgId, body.sessionId);
  }
}
