import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Request } from 'express';
import { SessionService } from '../auth/session.service';
import { UserRepository } from '../auth/user.repository';
import type { UserPrincipal } from '../common/principal';

/**
 * Who may use `/api/admin/*`: a live session of a user with the staff flag (set only by
 * `npm run staff`) AND two-factor sign-in on, not blocked or deleted.
 */
@Injectable()
export class StaffAccess {
  constructor(
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(UserRepository) private readonly users: UserRepository,
  ) {}

  async resolve(token: string | undefined): Promise<UserPrincipal | null> {
    const session = token ? await this.sessions.resolve(token) : null;
    if (!session) return null;
    const user = await this.users.findById(session.userId);
    if (!user?.isStaff || !user.totpSecret || user.blockedAt || user.deletedAt) return null;
    return { kind: 'user', userId: user.id, sessionId: session.id };
  }
}

/** The same 404 the framework gives for a route that does not exist. */
export function routeNotFound(req: Request): NotFoundException {
  return new NotFoundException(`Cannot ${req.method} ${req.originalUrl}`);
}
