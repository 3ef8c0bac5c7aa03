import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ApiKeyEntity } from '../api-keys/api-key.entity';
import { EmailTokenEntity } from '../auth/email-token.entity';
import { UserSessionEntity } from '../auth/user-session.entity';
import { UserEntity } from '../auth/user.entity';
import { InvitationEntity } from '../orgs/invitation.entity';
import { MembershipEntity } from '../orgs/membership.entity';
import { OrgEntity } from '../orgs/org.entity';
import { SiteEntity } from '../sites/site.entity';
import { CreateSites1763780000000 } from './migrations/1763780000000-create-sites';
import { AddSiteAllowedHostnames1763790000000 } from './migrations/1763790000000-add-site-allowed-hostnames';
import { AddAccountsAndOrgs1795332340942 } from './migrations/1795332340942-add-accounts-and-orgs';

export const ENTITIES = [
  SiteEntity,
  UserEntity,
  UserSessionEntity,
  EmailTokenEntity,
  OrgEntity,
  MembershipEntity,
  InvitationEntity,
  ApiKeyEntity,
];
export const MIGRATIONS = [
  CreateSites1763780000000,
  AddSiteAllowedHostnames1763790000000,
  AddAccountsAndOrgs1795332340942,
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
