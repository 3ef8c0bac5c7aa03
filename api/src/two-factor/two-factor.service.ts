import { Inject, Injectable } from '@nestjs/common';
import { toString as qrToString } from 'qrcode';
import type {
  DisableTwoFactorBody,
  TwoFactorEnabled,
  TwoFactorSetup,
  TwoFactorStatus,
} from '@sightline/api-contract';
import type { UserEntity } from '@sightline/database';
import { DomainError, unauthenticated } from '../common/domain-error';
import { PasswordHasher } from '../auth/password-hasher';
import { UserRepository } from '../auth/user.repository';
import { TwoFactorRepository } from './two-factor.repository';
import {
  hashRecoveryCode,
  looksLikeTotpCode,
  matchTotpStep,
  newRecoveryCodes,
  newTotpSecret,
  otpauthUri,
} from './totp';

export type SecondFactor = 'totp' | 'recovery_code';

/** TOTP enrolment, recovery codes, and checking a second factor at sign-in. */
@Injectable()
export class TwoFactorService {
  constructor(
    @Inject(TwoFactorRepository) private readonly twoFactor: TwoFactorRepository,
    @Inject(UserRepository) private readonly users: UserRepository,
    @Inject(PasswordHasher) private readonly hasher: PasswordHasher,
  ) {}

  async status(userId: string): Promise<TwoFactorStatus> {
    const user = await this.requireUser(userId);
    return {
      enabled: user.totpSecret !== null,
      enabledAt: user.totpEnabledAt?.toISOString() ?? null,
      recoveryCodesLeft: user.totpSecret ? await this.twoFactor.countUnusedRecoveryCodes(userId) : 0,
    };
  }

  /** A fresh secret to scan; nothing changes for sign-in until a code from it is confirmed. */
  async startSetup(userId: string): Promise<TwoFactorSetup> {
    const user = await this.requireUser(userId);
    if (user.totpSecret) throw already();
    const secret = newTotpSecret();
    await this.twoFactor.setPendingSecret(userId, secret);
    const uri = otpauthUri(secret, user.email);
    return {
      secret,
      uri,
      qrSvg: await qrToString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }),
    };
  }

  async confirmSetup(userId: string, code: string): Promise<TwoFactorEnabled> {
    const user = await this.requireUser(userId);
    if (user.totpSecret) throw already();
    if (!user.totpPendingSecret)
      throw new DomainError(409, 'two_factor_not_started', 'Start the set-up first to get a QR code');
    const step = matchTotpStep(user.totpPendingSecret, code);
    if (step === null)
      throw new DomainError(
        400,
        'invalid_otp',
        'That code is not correct; check the time on your phone',
        'code',
      );
    const recoveryCodes = newRecoveryCodes();
    await this.twoFactor.enable(userId, user.totpPendingSecret, step, recoveryCodes.map(hashRecoveryCode));
    return { recoveryCodes };
  }

  async disable(userId: string, body: DisableTwoFactorBody): Promise<void> {
    const user = await this.requireUser(userId);
    if (!user.totpSecret)
      throw new DomainError(409, 'two_factor_not_enabled', 'Two-factor sign-in is not on');
    if (!(await this.hasher.verify(user.passwordHash, body.password)))
      throw new DomainError(403, 'wrong_password', 'The password is not correct', 'password');
    if (!(await this.verify(user, body.code)))
      throw new DomainError(
        403,
        'invalid_otp',
        'The two-factor code is not correct or was already used',
        'code',
      );
    await this.twoFactor.disable(userId);
  }

  /**
   * Checks a second factor for a user with 2FA on: a TOTP code of a step not used before, or an
   * unused recovery code (which is used up). Null when it is neither.
   */
  async verify(user: UserEntity, otp: string): Promise<SecondFactor | null> {
    if (!user.totpSecret) return null;
    if (looksLikeTotpCode(otp)) {
      const step = matchTotpStep(user.totpSecret, otp.trim());
      return step !== null && (await this.twoFactor.claimStep(user.id, step)) ? 'totp' : null;
    }
    return (await this.twoFactor.useRecoveryCode(user.id, hashRecoveryCode(otp))) ? 'recovery_code' : null;
  }

  private async requireUser(userId: string): Promise<UserEntity> {
    const user = await this.users.findById(userId);
    if (!user) throw unauthenticated();
    return user;
  }
}

export const invalidOtp = (field = 'otp') =>
  new DomainError(401, 'invalid_otp', 'The two-factor code is not correct or was already used', field);

const already = () =>
  new DomainError(409, 'two_factor_already_enabled', 'Two-factor sign-in is already on; turn it off first');
