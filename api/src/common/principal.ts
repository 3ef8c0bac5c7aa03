import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { unauthenticated } from './domain-error';

/** Who is calling: a signed-in person (cookie session) or an org's API key. Set by the auth guard. */
export type Principal =
  { kind: 'user'; userId: string; sessionId: string } | { kind: 'api-key'; orgId: string; keyId: string };

export type UserPrincipal = Extract<Principal, { kind: 'user' }>;

export interface AuthenticatedRequest extends Request {
  principal?: Principal;
}

/** The calling principal (any kind). */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw unauthenticated();
  return principal;
});

/** The request's signed-in user, or 401 (API keys included): what session-only routes act for. */
export function requireUserPrincipal(req: AuthenticatedRequest): UserPrincipal {
  if (req.principal?.kind !== 'user') throw unauthenticated();
  return req.principal;
}

/** The signed-in user; routes that take it are session-only. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): UserPrincipal =>
  requireUserPrincipal(ctx.switchToHttp().getRequest<AuthenticatedRequest>()),
);
