import { Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { deleteAccountBody, type DeleteAccountBody } from '@sightline/api-contract';
import type { ApiConfig } from '@sightline/config';
import { clearSessionCookie } from '../auth/session-cookie';
import { Endpoint, ValidBody } from '../common/endpoint.decorator';
import { CurrentUser, type UserPrincipal } from '../common/principal';
import { API_CONFIG } from '../common/tokens';
import { AccountDeletionService } from './account-deletion.service';

@Controller('api/account')
export class AccountDeletionController {
  constructor(
    @Inject(AccountDeletionService) private readonly deletions: AccountDeletionService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Post('delete')
  @HttpCode(202)
  @Endpoint({
    summary:
      'Delete this account (password, and 2FA code when on); restorable for 72 hours by the mailed link',
    body: deleteAccountBody,
    tag: 'account',
  })
  async delete(
    @CurrentUser() user: UserPrincipal,
    @ValidBody() body: DeleteAccountBody,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ restorableUntil: string }> {
    const result = await this.deletions.request(user.userId, body);
    clearSessionCookie(res, this.config);
    return result;
  }
}
