import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type {
  ChangeEmailBody,
  ChangePasswordBody,
  LogInBody,
  MeResponse,
  PasswordResetConfirmBody,
  RestoreAccountBody,
  SignUpBody,
} from '@sightline/api-contract';
import type { ApiConfig } from '@sightline/config';
import { DomainError, conflict, invalid, unauthenticated } from '../common/domain-error';
import { RateLimits } from '../common/rate-limits';
import { hashSecretToken, newSecretToken } from '../common/secret-token';
import { API_CONFIG, LOGGER } from '../common/tokens';
import { mailTemplates } from '../mail/mail-templates';
import { Mailer } from '@sightline/mail';
import { InvitationService } from '../orgs/invitation.service';
import { OrgRepository } from '../orgs/org.repository';
import { EmailTokenRepository } from './email-token.repository';
import { LoginThrottle } from './login-throttle';
import { TwoFactorService, invalidOtp, type SecondFactor } from '../two-factor/two-factor.service';
import { PasswordHasher } from './password-hasher';
import { SessionService, type SignInContext } from './session.service';
import type { UserEntity } from '@sightline/database';
import { UserRepository } from './user.repository';

const HOUR_MS = 3_600_000;

export interface ClientContext extends SignInContext {
  ip: string;
}

/** Sign-up, log-in, verification, password reset and email/password changes. */
@Injectable()
export class AuthService {
  constructor(
    @Inject(UserRepository) private readonly users: UserRepository,
    @Inject(EmailTokenRepository) private readonly emailTokens: EmailTokenRepository,
    @Inject(OrgRepository) private readonly orgs: OrgRepository,
    @Inject(InvitationService) private readonly invitations: InvitationService,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(PasswordHasher) private readonly hasher: PasswordHasher,
    @Inject(RateLimits) private readonly limits: RateLimits,
    @Inject(LoginThrottle) private readonly loginThrottle: LoginThrottle,
    @Inject(TwoFactorService) private readonly twoFactor: TwoFactorService,
    @Inject(Mailer) private readonly mailer: Mailer,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Creates the user and their first org (or joins the inviting org) and signs them in. */
  async signUp(body: SignUpBody, client: ClientContext): Promise<{ token: string; me: MeResponse }> {
    await this.limits.consumeSignUp(client.ip);
    const invitation = body.invitationToken ? await this.invitations.findPending(body.invitationToken) : null;
    if (body.invitationToken && !invitation)
      throw invalid('invitationToken', 'this invitation is invalid, expired or already used');
    // The link works only for the address it was sent to; a forwarded link does not let others in.
    if (invitation && invitation.email !== body.email)
      throw new DomainError(
        403,
        'invitation_email_mismatch',
        `This invitation was sent to ${invitation.email}`,
      );
    if (this.config.INVITE_ONLY && !invitation)
      throw new DomainError(403, 'invite_only', 'Sign-up is by invitation only on this server');
    if (await this.users.findByEmail(body.email))
      throw conflict('email_taken', 'An account with this email already exists', 'email');

    const passwordHash = await this.hasher.hash(body.password);
    const user = await this.orgs.transaction(async (manager) => {
      const created = await this.users.create(
        { email: body.email, name: body.name ?? null, passwordHash },
        manager,
      );
      if (invitation) await this.invitations.acceptWithin(invitation, created.id, manager);
      else await this.orgs.createWithOwner(orgNameFor(body), created.id, manager);
      return created;
    });
    // An invitation link proves the address, so invited users start verified.
    if (invitation && invitation.email === user.email)
      await this.users.update(user.id, { emailVerifiedAt: new Date() });
    else await this.sendVerification(user);

    const { token } = await this.sessions.start(user.id, client);
    return { token, me: await this.me(user.id) };
  }

  async logIn(body: LogInBody, client: ClientContext): Promise<{ token: string; me: MeResponse }> {
    const { user, factor } = await this.authenticate(body, client);
    if (user.deletedAt)
      throw new DomainError(
        403,
        'account_deleted',
        'This account is scheduled for deletion. To keep it, open the link in the confirmation email within 72 hours of the request.',
      );
    return this.startSession(user, client, factor);
  }

  /** The link from the deletion mail plus a full sign-in cancels the deletion and signs in. */
  async restoreAccount(
    body: RestoreAccountBody,
    client: ClientContext,
  ): Promise<{ token: string; me: MeResponse }> {
    const { user, factor } = await this.authenticate(body, client);
    const restore = await this.emailTokens.consume(hashSecretToken(body.token), 'restore_account');
    if (!restore || restore.userId !== user.id || !user.deletedAt)
      throw invalid('token', 'this link is invalid, expired or already used');
    await this.users.update(user.id, { deletedAt: null });
    return this.startSession(user, client, factor);
  }

  /**
   * Password and, when on, second factor, under the sign-in throttle: every attempt is charged
   * before argon2 runs; a wrong password or code keeps its charge; only full success is refunded.
   * Blocked accounts are told so only after both factors passed.
   */
  private async authenticate(
    body: { email: string; password: string; otp?: string | undefined },
    client: ClientContext,
  ): Promise<{ user: UserEntity; factor: SecondFactor | null }> {
    const attempt = { ip: client.ip, email: body.email };
    await this.loginThrottle.charge(attempt);
    const user = await this.users.findByEmail(body.email);
    const ok = user
      ? await this.hasher.verify(user.passwordHash, body.password)
      : await this.hasher.verifyNothing(body.password);
    if (!user || !ok) throw new DomainError(401, 'invalid_credentials', 'Email or password is incorrect');
    let factor: SecondFactor | null = null;
    if (user.totpSecret) {
      if (!body.otp)
        throw new DomainError(
          401,
          'otp_required',
          'Enter the 6-digit code from your authenticator app, or a recovery code',
          'otp',
        );
      factor = await this.twoFactor.verify(user, body.otp);
      if (!factor) throw invalidOtp();
    }
    if (user.blockedAt)
      throw new DomainError(
        403,
        'account_blocked',
        'This account has been blocked by Sightline support. Reply to any email from us to find out why.',
      );
    await this.loginThrottle.refund(attempt);
    return { user, factor };
  }

  private async startSession(
    user: UserEntity,
    client: ClientContext,
    factor: SecondFactor | null,
  ): Promise<{ token: string; me: MeResponse }> {
    const { token, session } = await this.sessions.start(user.id, client);
    this.sendInBackground(
      mailTemplates.newLogin(user.email, {
        at: session.createdAt,
        country: client.country,
        device: client.device,
        secondFactor: factor,
      }),
    );
    return { token, me: await this.me(user.id) };
  }

  async me(userId: string): Promise<MeResponse> {
    const user = await this.users.findById(userId);
    if (!user || user.deletedAt) throw unauthenticated();
    const memberships = await this.orgs.listMembershipsOfUser(userId);
    return {
      user: {
        id: user.id,
        email: user.email,
        name: user.name,
        emailVerified: user.emailVerifiedAt !== null,
        createdAt: user.createdAt.toISOString(),
        twoFactorEnabled: user.totpSecret !== null,
        staff: user.isStaff,
      },
      orgs: memberships.map((m) => ({ orgId: m.orgId, orgName: m.orgName, role: m.role })),
    };
  }

  /** `currentSessionId`: the session opening the link, if it is the account's own (it stays signed in). */
  async verifyEmail(token: string, current?: { userId: string; sessionId: string }): Promise<void> {
    const verify = await this.emailTokens.consume(hashSecretToken(token), 'verify_email');
    if (verify) {
      await this.users.update(verify.userId, { emailVerifiedAt: new Date() });
      return;
    }
    const change = await this.emailTokens.consume(hashSecretToken(token), 'change_email');
    if (!change?.newEmail) throw invalid('token', 'this link is invalid, expired or already used');
    if (await this.users.findByEmail(change.newEmail))
      throw conflict('email_taken', 'An account with this email already exists', 'email');
    await this.users.update(change.userId, { email: change.newEmail, emailVerifiedAt: new Date() });
    // The account moved to another inbox: links sent to the old one and other sessions end.
    await this.invalidateEmailTokens(change.userId);
    await this.sessions.revokeAll(
      change.userId,
      current?.userId === change.userId ? current.sessionId : undefined,
    );
  }

  async resendVerification(userId: string): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user) throw unauthenticated();
    if (user.emailVerifiedAt) return;
    await this.sendVerification(user);
  }

  /**
   * Always 202, answered before any work: the lookup, the mail budget and the SMTP send happen after
   * the response, so neither status nor timing tells whether the address has an account. Past the
   * per-address budget the mail is silently not sent.
   */
  requestPasswordReset(email: string): void {
    this.sendResetMail(email).catch((err: unknown) => this.logMailError(err));
  }

  private async sendResetMail(email: string): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user) return;
    if (!(await this.limits.tryConsumeEmailSend(user.email, 'reset_password'))) return;
    await this.emailTokens.invalidate(user.id, 'reset_password');
    const token = newSecretToken();
    await this.emailTokens.create({
      userId: user.id,
      purpose: 'reset_password',
      tokenHash: hashSecretToken(token),
      expiresAt: new Date(Date.now() + HOUR_MS),
    });
    await this.mailer.send(
      mailTemplates.resetPassword(user.email, this.link('/reset-password/confirm', token)),
    );
  }

  /** Sets the new password and ends every session: whoever had the old password is signed out. */
  async confirmPasswordReset(body: PasswordResetConfirmBody): Promise<void> {
    const reset = await this.emailTokens.consume(hashSecretToken(body.token), 'reset_password');
    if (!reset) throw invalid('token', 'this link is invalid, expired or already used');
    // The link arrived by email, which also proves the address.
    await this.users.update(reset.userId, {
      passwordHash: await this.hasher.hash(body.password),
      emailVerifiedAt: new Date(),
    });
    await this.invalidateEmailTokens(reset.userId);
    await this.sessions.revokeAll(reset.userId);
  }

  async changePassword(userId: string, sessionId: string, body: ChangePasswordBody): Promise<void> {
    const user = await this.requireUserWithPassword(userId, body.currentPassword, 'currentPassword');
    await this.users.update(user.id, { passwordHash: await this.hasher.hash(body.newPassword) });
    await this.invalidateEmailTokens(user.id);
    await this.sessions.revokeAll(user.id, sessionId);
  }

  /** Links mailed before a password or email change stop working (a stolen inbox or link is not a way back in). */
  private async invalidateEmailTokens(userId: string): Promise<void> {
    for (const purpose of ['reset_password', 'change_email', 'verify_email'] as const)
      await this.emailTokens.invalidate(userId, purpose);
  }

  /** The address changes only when the link sent to the new address is opened. */
  async changeEmail(userId: string, body: ChangeEmailBody): Promise<void> {
    const user = await this.requireUserWithPassword(userId, body.password, 'password');
    if (body.email === user.email) throw invalid('email', 'this is already your email address');
    // A registered address gets the same answer as a free one (no enumeration) and no link: the
    // change could never complete. Its owner is not mailed either, so this cannot spam them.
    if (await this.users.findByEmail(body.email)) return;
    await this.limits.consumeEmailSend(body.email, 'change_email');
    await this.emailTokens.invalidate(user.id, 'change_email');
    const token = newSecretToken();
    await this.emailTokens.create({
      userId: user.id,
      purpose: 'change_email',
      tokenHash: hashSecretToken(token),
      expiresAt: new Date(Date.now() + 48 * HOUR_MS),
      newEmail: body.email,
    });
    await this.mailer.send(mailTemplates.changeEmail(body.email, this.link('/verify-email', token)));
  }

  private async requireUserWithPassword(
    userId: string,
    password: string,
    field: string,
  ): Promise<UserEntity> {
    const user = await this.users.findById(userId);
    if (!user) throw unauthenticated();
    if (!(await this.hasher.verify(user.passwordHash, password)))
      throw new DomainError(403, 'wrong_password', 'The password is not correct', field);
    return user;
  }

  private async sendVerification(user: UserEntity): Promise<void> {
    await this.limits.consumeEmailSend(user.email, 'verify_email');
    await this.emailTokens.invalidate(user.id, 'verify_email');
    const token = newSecretToken();
    await this.emailTokens.create({
      userId: user.id,
      purpose: 'verify_email',
      tokenHash: hashSecretToken(token),
      expiresAt: new Date(Date.now() + 48 * HOUR_MS),
    });
    await this.mailer.send(mailTemplates.verifyEmail(user.email, this.link('/verify-email', token)));
  }

  /** Log-in notices must not slow or fail the log-in itself. */
  private sendInBackground(message: Parameters<Mailer['send']>[0]): void {
    this.mailer.send(message).catch((err: unknown) => this.logMailError(err));
  }

  private logMailError(err: unknown): void {
    // SMTP error messages quote the recipient: log only the codes.
    const { code, responseCode } = (err ?? {}) as { code?: unknown; responseCode?: unknown };
    this.logger.error({ mailError: { code, responseCode } }, 'sending mail failed');
  }

  private link(path: string, token: string): string {
    const url = new URL(path, this.config.PUBLIC_APP_URL);
    url.searchParams.set('token', token);
    return url.toString();
  }
}

function orgNameFor(body: SignUpBody): string {
  return body.name ? `${body.name}'s sites` : `${body.email.split('@')[0] ?? 'My'}'s sites`;
}
