import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { vitalsRequestSchema, type VitalsResponse } from '@sightline/query';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { Endpoint } from '../common/endpoint.decorator';
import { CurrentPrincipal, type Principal } from '../common/principal';
import { VitalsService } from './vitals.service';

@Controller('api/v2')
export class VitalsController {
  constructor(@Inject(VitalsService) private readonly vitals: VitalsService) {}

  /** Web vitals of a site: p75 and bands per metric, daily trend, slowest pages. */
  @Post('vitals')
  @HttpCode(200)
  @RateLimit({ points: 300, per: 'minute', key: 'user' })
  @Endpoint({
    summary:
      'Web vitals (LCP, INP, CLS, FCP, TTFB): p75, good/needs-improvement/poor, daily trend, slowest pages',
    access: 'session-or-api-key',
    body: vitalsRequestSchema,
    response: 'VitalsResponse',
    tag: 'stats',
  })
  query(@CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<VitalsResponse> {
    return this.vitals.vitals(principal, body);
  }
}
