import {
  Inject,
  Injectable,
  createParamDecorator,
  type ExecutionContext,
  type PipeTransform,
} from '@nestjs/common';
import type { SiteEntity } from '@sightline/database';
import { MANAGERS } from '../orgs/org-access.service';
import { SiteAccessService } from '../sites/site-access.service';
import { requireUserPrincipal, type AuthenticatedRequest, type UserPrincipal } from './principal';

interface SiteRequest {
  user: UserPrincipal;
  domain: string;
}

/** The signed-in user and the route's `:domain`, as `@CurrentUser()` and `@Param('domain')` read them. */
const SiteRequestParam = createParamDecorator((_: unknown, ctx: ExecutionContext): SiteRequest => {
  const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
  return { user: requireUserPrincipal(req), domain: (req.params as Record<string, string>)['domain'] ?? '' };
});

@Injectable()
class ManagedSitePipe implements PipeTransform<SiteRequest, Promise<SiteEntity>> {
  constructor(@Inject(SiteAccessService) private readonly siteAccess: SiteAccessService) {}

  async transform({ user, domain }: SiteRequest): Promise<SiteEntity> {
    return (await this.siteAccess.requireSite(user, domain, MANAGERS)).site;
  }
}

/**
 * The `:domain` site of a route that owners and admins manage (404 to non-members, 403 to viewers).
 * A pipe, so the check runs where the handlers' own call did: after the auth guard and the rate
 * limits, with an invalid body still answered 400 first.
 */
export const ManagedSite = (): ParameterDecorator => SiteRequestParam(ManagedSitePipe);
