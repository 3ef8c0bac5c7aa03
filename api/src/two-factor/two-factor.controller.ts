import { Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import {
  confirmTwoFactorBody,
  disableTwoFactorBody,
  type ConfirmTwoFactorBody,
  type DisableTwoFactorBody,
  type TwoFactorEnabled,
  type TwoFactorSetup,
  type TwoFactorStatus,
} from '@sightline/api-contract';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { Endpoint, ValidBody } from '../common/endpoint.decorator';
import { CurrentUser, type UserPrincipal } from '../common/principal';
import { TwoFactorService } from './two-factor.service';

@Controller('api/account/2fa')
export class TwoFactorController {
  constructor(@Inject(TwoFactorService) private readonly twoFactor: TwoFactorService) {}

  @Get()
  @Endpoint({ summary: 'Whether two-factor sign-in is on', response: 'TwoFactorStatus', tag: 'account' })
  status(@CurrentUser() user: UserPrincipal): Promise<TwoFactorStatus> {
    return this.twoFactor.status(user.userId);
  }

  @Post('setup')
  @HttpCode(200)
  @RateLimit({ points: 10, per: 'minute', key: 'user' })
  @Endpoint({
    summary: 'Start enrolling: a new TOTP secret and its QR code (on once confirmed)',
    response: 'TwoFactorSetup',
    tag: 'account',
  })
  setup(@CurrentUser() user: UserPrincipal): Promise<TwoFactorSetup> {
    return this.twoFactor.startSetup(user.userId);
  }

  @Post('confirm')
  @HttpCode(200)
  @RateLimit({ points: 10, per: 'minute', key: 'user' })
  @Endpoint({
    summary: 'Confirm enrolment with a first code; returns 10 single-use recovery codes once',
    body: confirmTwoFactorBody,
    response: 'TwoFactorEnabled',
    tag: 'account',
  })
  confirm(
    @CurrentUser() user: UserPrincipal,
    @ValidBody() body: ConfirmTwoFactorBody,
  ): Promise<TwoFactorEnabled> {
    return this.twoFactor.confirmSetup(user.userId, body.code);
  }

  @Post('disable')
  @HttpCode(204)
  @RateLimit({ points: 5, per: 'minute', key: 'user' })
  @Endpoint({
    summary: 'Turn two-factor sign-in off (password and a current code or recovery code)',
    body: disableTwoFactorBody,
    tag: 'account',
  })
  disable(@CurrentUser() user: UserPrincipal, @ValidBody() body: DisableTwoFactorBody): Promise<void> {
    return this.twoFactor.disable(user.userId, body);
  }
}
