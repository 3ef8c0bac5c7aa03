import { Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import {
  changeEmailBody,
  changePasswordBody,
  type ChangeEmailBody,
  type ChangePasswordBody,
  type SessionView,
} from '@sightline/api-contract';
import { AuthService } from '../auth/auth.service';
import { SessionService } from '../auth/session.service';
import { notFound } from '../common/domain-error';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { Endpoint, ValidBody } from '../common/endpoint.decorator';
import { CurrentUser, type UserPrincipal } from '../common/principal';
import { isUuid } from '../orgs/org-access.service';

@Controller('api/account')
export class AccountController {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(SessionService) private readonly sessions: SessionService,
  ) {}

  @Post('password')
  @HttpCode(204)
  @RateLimit({ points: 5, per: 'minute', key: 'user' })
  @Endpoint({
    summary: 'Change the password (other sessions are signed out)',
    body: changePasswordBody,

    tag: 'account',
  })
  changePassword(@CurrentUser() user: UserPrincipal, @ValidBody() body: ChangePasswordBody): Promise<void> {
    return this.auth.changePassword(user.userId, user.sessionId, body);
  }

  @Post('email')
  @HttpCode(202)
  @RateLimit({ points: 5, per: 'minute', key: 'user' })
  @Endpoint({
    summary: 'Change the email address (confirmed by a link sent to it)',
    body: changeEmailBody,

    tag: 'account',
  })
  async changeEmail(
    @CurrentUser() user: UserPrincipal,
    @ValidBody() body: ChangeEmailBody,
  ): Promise<{ sent: true }> {
    await this.auth.changeEmail(user.userId, body);
    return { sent: true };
  }

  @Get('sessions')
  @Endpoint({ summary: 'Active sessions of this account', response: 'SessionView[]', tag: 'account' })
  listSessions(@CurrentUser() user: UserPrincipal): Promise<SessionView[]> {
    return this.sessions.list(user.userId, user.sessionId);
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  @RateLimit({ points: 30, per: 'minute', key: 'user' })
  @Endpoint({ summary: 'Sign out one session', tag: 'account' })
  async revokeSession(@CurrentUser() user: UserPrincipal, @Param('id') id: string): Promise<void> {
    if (!isUuid(id) || !(await this.sessions.revoke(user.userId, id))) throw notFound('Session');
  }
}
