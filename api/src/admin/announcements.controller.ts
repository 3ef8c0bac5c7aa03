import { Controller, Get, Inject } from '@nestjs/common';
import type { AnnouncementView } from '@sightline/api-contract';
import { Endpoint } from '../common/endpoint.decorator';
import { CurrentUser, type UserPrincipal } from '../common/principal';
import { AnnouncementRepository } from './announcement.repository';

@Controller('api/announcements')
export class AnnouncementsController {
  constructor(@Inject(AnnouncementRepository) private readonly announcements: AnnouncementRepository) {}

  @Get()
  @Endpoint({
    summary: 'Banners from support for the signed-in user (global and their orgs), until they expire',
    response: 'AnnouncementView[]',
    tag: 'account',
  })
  list(@CurrentUser() user: UserPrincipal): Promise<AnnouncementView[]> {
    return this.announcements.listActiveFor(user.userId, new Date());
  }
}
