import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { SubscriptionSync } from '@sightline/billing';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { ClickHouseClient } from '@sightline/clickhouse';
import type { ApiConfig } from '@sightline/config';
import { CountryLookup } from '@sightline/enrich';
import { FunnelRunner, QueryEngine, WebVitalsEngine } from '@sightline/query';
import { AccountController } from './account/account.controller';
import { AccountDeletionController } from './account-deletion/account-deletion.controller';
import { AccountDeletionRepository } from './account-deletion/account-deletion.repository';
import { AccountDeletionService } from './account-deletion/account-deletion.service';
import { TwoFactorController } from './two-factor/two-factor.controller';
import { AdminAuditRepository } from './admin/admin-audit.repository';
import { AdminController } from './admin/admin.controller';
import { AdminRepository } from './admin/admin.repository';
import { AdminService } from './admin/admin.service';
import { AnnouncementRepository } from './admin/announcement.repository';
import { AnnouncementsController } from './admin/announcements.controller';
import { StaffAccess } from './admin/staff-access';
import { TwoFactorRepository } from './two-factor/two-factor.repository';
import { TwoFactorService } from './two-factor/two-factor.service';
import { ApiKeyRepository } from './api-keys/api-key.repository';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AuthController, InvitationLinkController } from './auth/auth.controller';
import { BillingController } from './billing/billing.controller';
import { BillingRepository } from './billing/billing.repository';
import { BillingService } from './billing/billing.service';
import { CapacityService } from './billing/capacity.service';
import { StripeWebhookController } from './billing/stripe-webhook.controller';
import { StripeWebhookService } from './billing/stripe-webhook.service';
import { StripeClient } from './billing/stripe.client';
import { StripeEventQueue } from './billing/stripe-event.queue';
import { SharedDashboardController, SharedLinksController } from './shared-links/shared-links.controller';
import { SharedLinkRepository } from './shared-links/shared-link.repository';
import { SharedLinksService } from './shared-links/shared-links.service';
import { QuotaLockService } from './billing/quota-lock.service';
import { PlanFeatureService } from './billing/plan-feature.service';
import { AuthGuard } from './auth/auth.guard';
import { AuthService } from './auth/auth.service';
import { ClientContextReader } from './auth/client-context';
import { EmailTokenRepository } from './auth/email-token.repository';
import { LoginThrottle } from './auth/login-throttle';
import { PasswordHasher } from './auth/password-hasher';
import { SessionService } from './auth/session.service';
import { UserSessionRepository } from './auth/user-session.repository';
import { UserRepository } from './auth/user.repository';
import { ErrorFilter } from './common/error.filter';
import { RateLimits } from './common/rate-limits';
import { API_CONFIG, CLICKHOUSE, JOBS_QUEUE, LOGGER, OPENAPI_DOCUMENT, REDIS } from './common/tokens';
import { HealthController } from './health/health.controller';
import { Mailer } from '@sightline/mail';
import { DocsController } from './openapi/docs.controller';
import { buildOpenApiDocument } from './openapi/openapi-document';
import { InvitationService } from './orgs/invitation.service';
import { OrgAccessService } from './orgs/org-access.service';
import { OrgRepository } from './orgs/org.repository';
import { InvitationAcceptController, OrgsController } from './orgs/orgs.controller';
import { OrgsService } from './orgs/orgs.service';
import { LiveEventsSubscriber } from './realtime/live-events.subscriber';
import { RealtimeServer } from './realtime/realtime.server';
import { RevocationBus } from './realtime/revocation-bus';
import { RateLimitInterceptor } from './rate-limit/rate-limit.interceptor';
import { RouteRateLimiter } from './rate-limit/route-rate-limiter';
import { SiteAccessService } from './sites/site-access.service';
import { SiteRepository } from './sites/site.repository';
import { SitesController } from './sites/sites.controller';
import { ImportsController } from './imports/imports.controller';
import { ImportsService } from './imports/imports.service';
import { SiteImportsRepository } from './imports/site-imports.repository';
import { SitesService } from './sites/sites.service';
import { StatsController } from './stats/stats.controller';
import { StatsService } from './stats/stats.service';
import { VitalsController } from './stats/vitals.controller';
import { VitalsService } from './stats/vitals.service';
import { UsageController } from './usage/usage.controller';
import { EmailReportRepository } from './email-reports/email-report.repository';
import { EmailReportsController } from './email-reports/email-reports.controller';
import { EmailReportsService } from './email-reports/email-reports.service';
import { UsageRepository } from './usage/usage.repository';
import { UsageService } from './usage/usage.service';
import { FunnelRepository } from './funnels/funnel.repository';
import { FunnelsController } from './funnels/funnels.controller';
import { FunnelsService } from './funnels/funnels.service';

/** Every controller of the API; the route table, OpenAPI document and tenancy test read this list. */
export const API_CONTROLLERS: readonly Type[] = [
  AuthController,
  InvitationLinkController,
  InvitationAcceptController,
  AccountController,
  TwoFactorController,
  AccountDeletionController,
  AnnouncementsController,
  OrgsController,
  ApiKeysController,
  SitesController,
  ImportsController,
  StatsController,
  VitalsController,
  UsageController,
  EmailReportsController,
  HealthController,
  DocsController,
  BillingController,
  SharedLinksController,
  SharedDashboardController,
  StripeWebhookController,
  FunnelsController,
];

/**
 * The support panel's controllers (`access: 'staff'`, 404 to everyone else). Kept out of
 * API_CONTROLLERS so the public OpenAPI document does not list them; admin.int.spec enumerates them.
 */
export const ADMIN_CONTROLLERS: readonly Type[] = [AdminController];

/** Connections and clients made by the composition root (main or a test), handed to Nest as values. */
export interface ApiInfrastructure {
  config: ApiConfig;
  logger: Logger;
  dataSource: DataSource;
  redis: Redis;
  clickhouse: ClickHouseClient;
  /** The read-only ClickHouse user with query limits, for the query engine. */
  clickhouseReader: ClickHouseClient;
  mailer: Mailer;
  countries: CountryLookup;
  /** BullMQ's connection (the api adds jobs to the workers' queue: verified Stripe events). */
  bullRedis: Redis;
}

@Module({})
export class AppModule {
  static create(infra: ApiInfrastructure): DynamicModule {
    return {
      module: AppModule,
      imports: [
        BullModule.forRoot({ connection: infra.bullRedis }),
        BullModule.registerQueue({ name: infra.config.WORKERS_QUEUE }),
      ],
      controllers: [...API_CONTROLLERS, ...ADMIN_CONTROLLERS],
      providers: [
        { provide: JOBS_QUEUE, useExisting: getQueueToken(infra.config.WORKERS_QUEUE) },
        { provide: API_CONFIG, useValue: infra.config },
        { provide: LOGGER, useValue: infra.logger },
        { provide: DataSource, useValue: infra.dataSource },
        { provide: REDIS, useValue: infra.redis },
        { provide: CLICKHOUSE, useValue: infra.clickhouse },
        { provide: Mailer, useValue: infra.mailer },
        { provide: CountryLookup, useValue: infra.countries },
        {
          provide: QueryEngine,
          useValue: new QueryEngine(infra.clickhouseReader, {
            sampleAboveRows: infra.config.QUERY_SAMPLE_ABOVE_ROWS,
            sampleTargetRows: infra.config.QUERY_SAMPLE_TARGET_ROWS,
          }),
        },
        { provide: FunnelRunner, useValue: new FunnelRunner(infra.clickhouseReader) },
        { provide: WebVitalsEngine, useValue: new WebVitalsEngine(infra.clickhouseReader) },
        {
          provide: OPENAPI_DOCUMENT,
          useValue: buildOpenApiDocument(API_CONTROLLERS, infra.config.PUBLIC_APP_URL),
        },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useValue: new ErrorFilter(infra.logger) },
        { provide: APP_INTERCEPTOR, useClass: RateLimitInterceptor },
        RouteRateLimiter,
        UserRepository,
        UserSessionRepository,
        EmailTokenRepository,
        OrgRepository,
        ApiKeyRepository,
        SiteRepository,
        PasswordHasher,
        SessionService,
        ClientContextReader,
        RateLimits,
        LoginThrottle,
        TwoFactorRepository,
        TwoFactorService,
        AccountDeletionRepository,
        AccountDeletionService,
        StaffAccess,
        AdminRepository,
        AdminAuditRepository,
        AnnouncementRepository,
        AdminService,
        AuthService,
        OrgAccessService,
        OrgsService,
        InvitationService,
        ApiKeysService,
        SiteAccessService,
        SitesService,
        StatsService,
        ImportsService,
        SiteImportsRepository,
        VitalsService,
        UsageService,
        EmailReportRepository,
        EmailReportsService,
        LiveEventsSubscriber,
        RealtimeServer,
        BillingRepository,
        UsageRepository,
        StripeClient,
        CapacityService,
        {
          provide: SubscriptionSync,
          inject: [API_CONFIG, StripeClient, BillingRepository, CapacityService, Mailer, LOGGER],
          useFactory: (
            config: ApiConfig,
            stripe: StripeClient,
            store: BillingRepository,
            capacity: CapacityService,
            mailer: Mailer,
            logger: Logger,
          ) =>
            config.billing
              ? new SubscriptionSync({
                  stripe: stripe.sdk,
                  prices: config.billing.prices,
                  store,
                  capacity,
                  mailer,
                  logger,
                  publicAppUrl: config.PUBLIC_APP_URL,
                })
              : null,
        },
        BillingService,
        StripeEventQueue,
        StripeWebhookService,
        QuotaLockService,
        PlanFeatureService,
        RevocationBus,
        SharedLinkRepository,
        SharedLinksService,
        FunnelRepository,
        FunnelsService,
      ],
    };
  }
}
