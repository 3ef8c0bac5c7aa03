import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import type { PropertyKeysResponse, QueryResponse } from '@sightline/query';
import { propertyKeysRequestSchema, queryRequestSchema } from '@sightline/query';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { Endpoint } from '../common/endpoint.decorator';
import { CurrentPrincipal, type Principal } from '../common/principal';
import { StatsService } from './stats.service';

@Controller('api/v2')
export class StatsController {
  constructor(@Inject(StatsService) private readonly stats: StatsService) {}

  /** Plausible Stats API v2 compatible. The engine validates the body and names the bad field. */
  @Post('query')
  @HttpCode(200)
  @RateLimit({ points: 300, per: 'minute', key: 'user' })
  @Endpoint({
    summary: 'Query stats (Plausible Stats API v2 shape): metrics × dimensions × filters × date range',
    access: 'session-or-api-key',
    body: queryRequestSchema,
    response: 'QueryResponse',
    tag: 'stats',
  })
  query(@CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<QueryResponse> {
    return this.stats.query(principal, body);
  }

  /** The custom property keys of a period (a goal's, with an event:goal filter), for the properties panel. */
  @Post('property-keys')
  @HttpCode(200)
  @RateLimit({ points: 300, per: 'minute', key: 'user' })
  @Endpoint({
    summary: "List the custom property keys used in a period (with an event:goal filter: that goal's)",
    access: 'session-or-api-key',
    body: propertyKeysRequestSchema,
    response: 'PropertyKeysResponse',
    tag: 'stats',
  })
  propertyKeys(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
  ): Promise<PropertyKeysResponse> {
    return this.stats.propertyKeys(principal, body);
  }
}
