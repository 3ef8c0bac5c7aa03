import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import type { SiteImportView } from '@sightline/api-contract';
import type { SiteEntity } from '@sightline/database';
import { Endpoint } from '../common/endpoint.decorator';
import { ManagedSite } from '../common/managed-site.decorator';
import { CurrentUser, type UserPrincipal } from '../common/principal';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { ImportsService } from './imports.service';

/** A site's imports of Plausible / Umami history (owners and admins). */
@Controller('api/sites/:domain/imports')
export class ImportsController {
  constructor(@Inject(ImportsService) private readonly imports: ImportsService) {}

  @Get()
  @RateLimit({ points: 120, per: 'minute', key: 'user' })
  @Endpoint({
    summary: "The site's imports with their progress",
    response: 'SiteImportView[]',
    tag: 'imports',
  })
  list(@ManagedSite() site: SiteEntity): Promise<SiteImportView[]> {
    return this.imports.list(site);
  }

  @Post()
  @HttpCode(202)
  @RateLimit({ points: 10, per: 'hour', key: 'user' }, { points: 20, per: 'hour', key: 'org' })
  @Endpoint({
    summary:
      'Upload a Plausible CSV export zip or an Umami data export (raw body, ?source=plausible|umami&filename=); imported by a worker',
    response: 'SiteImportView',
    tag: 'imports',
  })
  upload(
    @CurrentUser() user: UserPrincipal,
    @ManagedSite() site: SiteEntity,
    @Query('source') source: unknown,
    @Query('filename') filename: unknown,
    @Req() req: { body?: unknown },
  ): Promise<SiteImportView> {
    return this.imports.upload(site, user.userId, { source, filename }, req.body);
  }

  @Delete(':id')
  @HttpCode(204)
  @RateLimit({ points: 30, per: 'hour', key: 'user' })
  @Endpoint({ summary: 'Delete an import and its imported data', tag: 'imports' })
  async remove(@ManagedSite() site: SiteEntity, @Param('id') id: string): Promise<void> {
    await this.imports.remove(site, id);
  }
}
