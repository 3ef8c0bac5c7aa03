import { Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  logInBody,
  passwordResetConfirmBody,
  passwordResetRequestBody,
  restoreAccountBody,
  signUpBody,
  tokenBody,
  type AuthConfig,
  type InvitationPreview,
  type LogInBody,
  type MeResponse,
  type PasswordResetConfirmBody,
  type RestoreAccountBody,
  type SignUpBody,
  type TokenBody,
} from '@sightline/api-contract';
import type { ApiConfig } from '@sightline/config';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { Endpoint, ValidBody } from '../common/endpoint.decorator';
import { CurrentUser, type UserPrincipal } from '../common/principal';
import { API_CONFIG } from '../common/tokens';
import { InvitationService } from '../orgs/invitation.service';
import { AuthService } from './auth.service';
import { ClientContextReader } from './client-context';
import { clearSessionCookie, setSessionCookie } from './session-cookie';
import { SessionService } from './session.service';

@Controller('api/auth')
export class AuthController {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(ClientContextReader) private readonly clients: ClientContextReader,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Get('config')
  @Endpoint({ summary: 'Whether sign-up is open or by invitation only', access: 'public', tag: 'auth' })
  authConfig(): AuthConfig {
    return { inviteOnly: this.config.INVITE_ONLY };
  }

  @Post('signup')
  @RateLimit({ points: 10, per: 'minute', key: 'ip' })
  @Endpoint({
    summary: 'Create an account (and its first org) and sign in',
    access: 'public',
    body: signUpBody,

    response: 'MeResponse',
    tag: 'auth',
  })
  async signUp(
    @ValidBody() body: SignUpBody,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MeResponse> {
    const { token, me } = await this.auth.signUp(body, this.clients.read(req));
    setSessionCookie(res, this.config, token);
    return me;
  }

  @Post('login')
  @HttpCode(200)
  @RateLimit({ points: 30, per: 'minute', key: 'ip' })
  @Endpoint({
    summary: 'Sign in with email and password; sets the session cookie',
    access: 'public',
    body: logInBody,
    response: 'MeResponse',
    tag: 'auth',
  })
  async logIn(
    @ValidBody() body: LogInBody,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MeResponse> {
    const { token, me } = await this.auth.logIn(body, this.clients.read(req));
    // A log-in replaces whatever session this browser had (no session fixation).
    const previous = (req as Request & { principal?: UserPrincipal }).principal;
    if (previous?.kind === 'user') await this.sessions.revoke(previous.userId, previous.sessionId);
    setSessionCookie(res, this.config, token);
    return me;
  }

  @Post('restore-account')
  @HttpCode(200)
  @RateLimit({ points: 10, per: 'minute', key: 'ip' })
  @Endpoint({
    summary: 'Cancel a pending account deletion with the mailed link and a full sign-in',
    access: 'public',
    body: restoreAccountBody,
    response: 'MeResponse',
    tag: 'auth',
  })
  async restoreAccount(
    @ValidBody() body: RestoreAccountBody,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MeResponse> {
    const { token, me } = await this.auth.restoreAccount(body, this.clients.read(req));
    setSessionCookie(res, this.config, token);
    return me;
  }

  @Post('logout')
  @HttpCode(204)
  @RateLimit({ points: 30, per: 'minute', key: 'user' })
  @Endpoint({ summary: 'Sign out this browser', tag: 'auth' })
  async logOut(@CurrentUser() user: UserPrincipal, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.sessions.revoke(user.userId, user.sessionId);
    clearSessionCookie(res, this.config);
  }

  @Post('logout-all')
  @HttpCode(204)
  @RateLimit({ points: 10, per: 'minute', key: 'user' })
  @Endpoint({ summary: 'Sign out every session of this account', tag: 'auth' })
  async logOutEverywhere(
    @CurrentUser() user: UserPrincipal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    await this.sessions.revokeAll(user.userId);
    clearSessionCookie(res, this.config);
  }

  @Get('me')
  @Endpoint({ summary: 'The signed-in user and their orgs', response: 'MeResponse', tag: 'auth' })
  me(@CurrentUser() user: UserPrincipal): Promise<MeResponse> {
    return this.auth.me(user.userId);
  }

  @Post('verify-email')
  @HttpCode(200)
  @RateLimit({ points: 20, per: 'minute', key: 'ip' })
  @Endpoint({
    summary: 'Confirm an email address with the emailed token',
    access: 'public',
    body: tokenBody,
    tag: 'auth',
  })
  async verifyEmail(@ValidBody() body: TokenBody, @Req() req: Request): Promise<{ verified: true }> {
    const current = (req as Request & { principal?: UserPrincipal }).principal;
    await this.auth.verifyEmail(body.token, current?.kind === 'user' ? current : undefined);
    return { verified: true };
  }

  @Post('resend-verification')
  @HttpCode(202)
  @RateLimit({ points: 5, per: 'minute', key: 'user' })
  @Endpoint({ summary: 'Send the verification email again', tag: 'auth' })
  async resendVerification(@CurrentUser() user: UserPrincipal): Promise<{ sent: true }> {
    await this.auth.resendVerification(user.userId);
    return { sent: true };
  }

  @Post('password-reset')
  @HttpCode(202)
  @RateLimit({ points: 5, per: 'minute', key: 'ip' })
  @Endpoint({
    summary: 'Email a password-reset link (always 202)',
    access: 'public',
    body: passwordResetRequestBody,

    tag: 'auth',
  })
  requestPasswordReset(@ValidBody() body: { email: string }): { sent: true } {
    this.auth.requestPasswordReset(body.email);
    return { sent: true };
  }

  @Post('password-reset/confirm')
  @HttpCode(200)
  @RateLimit({ points: 10, per: 'minute', key: 'ip' })
  @Endpoint({
    summary: 'Set a new password with the emailed token; ends all sessions',
    access: 'public',
    body: passwordResetConfirmBody,
    tag: 'auth',
  })
  async confirmPasswordReset(@ValidBody() body: PasswordResetConfirmBody): Promise<{ reset: true }> {
    await this.auth.confirmPasswordReset(body);
    return { reset: true };
  }
}

@Controller('api/invitations')
export class InvitationLinkController {
  constructor(@Inject(InvitationService) private readonly invitations: InvitationService) {}

  @Get(':token')
  @RateLimit({ points: 30, per: 'minute', key: 'ip' })
  @Endpoint({
    summary: 'What an invitation link offers, before accepting it',
    access: 'public',
    response: 'InvitationPreview',
    tag: 'orgs',
  })
  preview(@Param('token') token: string): Promise<InvitationPreview> {
    return this.invitations.preview(token);
  }
}
