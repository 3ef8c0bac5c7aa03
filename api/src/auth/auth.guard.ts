import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { parseCookie } from 'cookie';
import type { ApiConfig } from '@sightline/config';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { DomainError, unauthenticated } from '../common/domain-error';
import { endpointOf } from '../common/endpoint.decorator';
import type { AuthenticatedRequest } from '../common/principal';
import { RateLimits } from '../common/rate-limits';
import { API_CONFIG } from '../common/tokens';
import { PlanFeatureService } from '../billing/plan-feature.service';
import { SessionService } from './session.service';
import { StaffAccess, routeNotFound } from '../admin/staff-access';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Global guard: every route is signed-in only unless its @Endpoint says `public`; API keys
 * (`Authorization: Bearer sl_…`) only where it says `session-or-api-key`. Browsers' mutating
 * requests must come from an allowed Origin (CSRF defence on top of SameSite=Lax).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(ApiKeysService) private readonly apiKeys: ApiKeysService,
    @Inject(RateLimits) private readonly limits: RateLimits,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(StaffAccess) private readonly staff: StaffAccess,
    @Inject(PlanFeatureService) private readonly features: PlanFeatureService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const access = endpointOf(ctx.getHandler())?.access ?? 'session';
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    if (access === 'staff') {
      // Admin routes do not reveal that they exist: no session, not staff or no 2FA → 404.
      const staff = await this.staff.resolve(sessionToken(req, this.config.sessionCookieName));
      if (!staff) throw routeNotFound(req);
      this.checkOrigin(req);
      req.principal = staff;
      return true;
    }
    this.checkOrigin(req);

    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      if (access !== 'session-or-api-key' && access !== 'public')
        throw unauthenticated('API keys cannot be used on this route; sign in instead');
      const bearer = /^Bearer (\S+)$/i.exec(authorization)?.[1];
      const key = bearer ? await this.apiKeys.authenticate(bearer) : null;
      if (!key) throw new DomainError(401, 'invalid_api_key', 'The API key is missing, malformed or revoked');
      await this.limits.consumeApiKey(key.id);
      // Keys are the Stats API: after a downgrade they stay listed (and revocable) but answer 402.
      await this.features.require(key.orgId, 'stats_api');
      req.principal = { kind: 'api-key', orgId: key.orgId, keyId: key.id };
      return true;
    }

    const token = sessionToken(req, this.config.sessionCookieName);
    const session = token ? await this.sessions.resolve(token) : null;
    if (session) req.principal = { kind: 'user', userId: session.userId, sessionId: session.id };
    if (access === 'public') return true;
    if (!session) throw unauthenticated();
    return true;
  }

  private checkOrigin(req: AuthenticatedRequest): void {
    if (SAFE_METHODS.has(req.method)) return;
    const origin = req.headers.origin;
    // Non-browser clients send no Origin; browsers always send it on cross-origin and POST requests.
    if (origin === undefined) return;
    if (!this.config.allowedOrigins.includes(origin))
      throw new DomainError(403, 'bad_origin', 'Requests from this origin are not allowed');
  }
}

/** The session token from the cookie of this deployment's name (a cookie of the other name is ignored). */
export function sessionToken(req: { headers: { cookie?: string } }, cookieName: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  try {
    return parseCookie(header)[cookieName];
  } catch {
    return undefined;
  }
}
