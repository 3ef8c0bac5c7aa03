import { Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import {
  createApiKeyBody,
  type ApiKeyView,
  type CreateApiKeyBody,
  type CreatedApiKey,
} from '@sightline/api-contract';
import { notFound } from '../common/domain-error';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { Endpoint, ValidBody } from '../common/endpoint.decorator';
import { CurrentUser, type UserPrincipal } from '../common/principal';
import { MANAGERS, OrgAccessService, isUuid } from '../orgs/org-access.service';
import { PlanFeatureService } from '../billing/plan-feature.service';
import { ApiKeysService } from './api-keys.service';

@Controller('api/orgs/:orgId/api-keys')
export class ApiKeysController {
  constructor(
    @Inject(ApiKeysService) private readonly keys: ApiKeysService,
    @Inject(OrgAccessService) private readonly access: OrgAccessService,
    @Inject(PlanFeatureService) private readonly features: PlanFeatureService,
  ) {}

  @Get()
  @Endpoint({ summary: "The org's API keys (without secrets)", response: 'ApiKeyView[]', tag: 'api-keys' })
  async list(@CurrentUser() user: UserPrincipal, @Param('orgId') orgId: string): Promise<ApiKeyView[]> {
    await this.access.requireRole(user, orgId, MANAGERS);
    return this.keys.list(orgId);
  }

  @Post()
  @RateLimit({ points: 10, per: 'hour', key: 'user' })
  @Endpoint({
    summary: 'Create an API key for the stats API; the key is shown only in this response',
    body: createApiKeyBody,

    response: 'CreatedApiKey',
    tag: 'api-keys',
  })
  async create(
    @CurrentUser() user: UserPrincipal,
    @Param('orgId') orgId: string,
    @ValidBody() body: CreateApiKeyBody,
  ): Promise<CreatedApiKey> {
    await this.access.requireRole(user, orgId, MANAGERS);
    await this.features.require(orgId, 'stats_api');
    return this.keys.create(orgId, user.userId, body.name);
  }

  @Delete(':id')
  @HttpCode(204)
  @RateLimit({ points: 30, per: 'minute', key: 'user' })
  @Endpoint({ summary: 'Revoke an API key', tag: 'api-keys' })
  async revoke(
    @CurrentUser() user: UserPrincipal,
    @Param('orgId') orgId: string,
    @Param('id') id: string,
  ): Promise<void> {
    await this.access.requireRole(user, orgId, MANAGERS);
    if (!isUuid(id)) throw notFound('API key');
    await this.keys.revoke(orgId, id);
  }
}
