import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { ApiConfig } from '@sightline/config';
import { normalizeDomain } from '@sightline/events';
import { clientAddress } from '../common/client-address';
import type { AuthenticatedRequest } from '../common/principal';
import { API_CONFIG } from '../common/tokens';
import { OrgRepository } from '../orgs/org.repository';
import { isUuid } from '../orgs/org-access.service';
import { SiteRepository } from '../sites/site.repository';
import { rateLimitsOf, type RateLimitKey } from './rate-limit.decorator';
import { RouteRateLimiter } from './route-rate-limiter';

/**
 * Enforces each route's @RateLimit budgets. It runs after the auth guard (so `user` budgets know
 * the principal) and before the body is parsed or the handler does any work.
 */
@Injectable()
export class RateLimitInterceptor implements NestInterceptor {
  constructor(
    @Inject(RouteRateLimiter) private readonly limiter: RouteRateLimiter,
    @Inject(OrgRepository) private readonly orgs: OrgRepository,
    @Inject(SiteRepository) private readonly sites: SiteRepository,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const specs = ctx.getType() === 'http' ? rateLimitsOf(ctx.getHandler()) : [];
    if (specs.length > 0) {
      const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
      const route = `${ctx.getClass().name}.${ctx.getHandler().name}`;
      for (const spec of specs) await this.limiter.consume(route, spec, await this.subject(req, spec.key));
    }
    return next.handle();
  }

  private async subject(req: AuthenticatedRequest, key: RateLimitKey): Promise<string> {
    const principal = req.principal;
    const ip = `ip:${clientAddress(req, this.config.TRUSTED_PROXY_HOPS)}`;
    if (key === 'ip') return ip;
    const own =
      principal?.kind === 'user' ? `user:${principal.userId}` : principal ? `key:${principal.keyId}` : ip;
    if (key === 'user') return own;
    const orgId = await this.orgOf(req);
    return orgId ? `org:${orgId}` : own;
  }

  /**
   * The org the route acts on, only when the caller belongs to it: charging an org the caller is
   * not in would let anyone spend another tenant's budget (they get 404 from the handler instead).
   */
  private async orgOf(req: AuthenticatedRequest): Promise<string | null> {
    const principal = req.principal;
    if (!principal) return null;
    const params = req.params as Record<string, string | undefined>;
    let orgId = params['orgId'];
    if (orgId === undefined && params['domain'] !== undefined) {
      const domain = normalizeDomain(params['domain']);
      orgId = (domain ? await this.sites.findByDomain(domain) : null)?.orgId;
    }
    if (!orgId || !isUuid(orgId)) return null;
    if (principal.kind === 'api-key') return principal.orgId === orgId ? orgId : null;
    return (await this.orgs.findMembership(orgId, principal.userId)) ? orgId : null;
  }
}
