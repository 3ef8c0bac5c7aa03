import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AdminAuditEntryEntity } from './entities/admin-audit-entry.entity';
import { AnnouncementEntity } from './entities/announcement.entity';
import { ApiKeyEntity } from './entities/api-key.entity';
import { BillingMailEntity } from './entities/billing-mail.entity';
import { BillingProfileEntity } from './entities/billing-profile.entity';
import { EmailTokenEntity } from './entities/email-token.entity';
import { FunnelEntity } from './entities/funnel.entity';
import { InvitationEntity } from './entities/invitation.entity';
import { MembershipEntity } from './entities/membership.entity';
import { OrgEntity } from './entities/org.entity';
import { QuotaStateEntity } from './entities/quota-state.entity';
import { RecoveryCodeEntity } from './entities/recovery-code.entity';
import { ReportDeliveryEntity } from './entities/report-delivery.entity';
import { ReportSubscriptionEntity } from './entities/report-subscription.entity';
import { SharedLinkEntity } from './entities/shared-link.entity';
import { SiteEntity } from './entities/site.entity';
import { SiteImportEntity } from './entities/site-import.entity';
import { StripeEventEntity } from './entities/stripe-event.entity';
import { UsageCycleEntity } from './entities/usage-cycle.entity';
import { UserSessionEntity } from './entities/user-session.entity';
import { UserEntity } from './entities/user.entity';
import { CreateSites1763780000000 } from './migrations/1763780000000-create-sites';
import { AddSiteAllowedHostnames1763790000000 } from './migrations/1763790000000-add-site-allowed-hostnames';
import { AddAccountsAndOrgs1795332340942 } from './migrations/1795332340942-add-accounts-and-orgs';
import { AddSecurityAndAdmin1796100000000 } from './migrations/1796100000000-add-security-and-admin';
import { AddBilling1796505243591 } from './migrations/1796505243591-add-billing';
import { AddUsageCycles1796505392086 } from './migrations/1796505392086-add-usage-cycles';
import { SoftDeleteSites1796506633324 } from './migrations/1796506633324-soft-delete-sites';
import { AddEmailReports1796507382535 } from './migrations/1796507382535-add-email-reports';
import { AddFunnels1796516025906 } from './migrations/1796516025906-add-funnels';
import { AccountDeletionSoftDeletesSites1796600000000 } from './migrations/1796600000000-account-deletion-soft-deletes-sites';
import { AddSiteCurrency1796516099774 } from './migrations/1796516099774-add-site-currency';
import { AddSharedLinks1796617110620 } from './migrations/1796617110620-add-shared-links';
import { AddSiteImports1796700000000 } from './migrations/1796700000000-add-site-imports';

export const ENTITIES = [
  SiteEntity,
  UserEntity,
  UserSessionEntity,
  EmailTokenEntity,
  OrgEntity,
  MembershipEntity,
  InvitationEntity,
  ApiKeyEntity,
  BillingProfileEntity,
  StripeEventEntity,
  QuotaStateEntity,
  BillingMailEntity,
  UsageCycleEntity,
  RecoveryCodeEntity,
  AdminAuditEntryEntity,
  AnnouncementEntity,
  ReportSubscriptionEntity,
  ReportDeliveryEntity,
  SharedLinkEntity,
  SiteImportEntity,
  FunnelEntity,
];
export const MIGRATIONS = [
  CreateSites1763780000000,
  AddSiteAllowedHostnames1763790000000,
  AddAccountsAndOrgs1795332340942,
  AddSecurityAndAdmin1796100000000,
  AddBilling1796505243591,
  AddUsageCycles1796505392086,
  SoftDeleteSites1796506633324,
  AddEmailReports1796507382535,
  AddFunnels1796516025906,
  AddSiteCurrency1796516099774,
  AccountDeletionSoftDeletesSites1796600000000,
  AddSharedLinks1796617110620,
  AddSiteImports1796700000000,
];

/** The one Postgres connection of the API; schema changes only through committed migrations. */
export function createDataSource(databaseUrl: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    uuidExtension: 'pgcrypto', // gen_random_uuid(), built into Postgres 13+
    // Failed statements surface as errors through our logger; TypeORM's own log would print values (PII).
    logging: false,
  });
}
