import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { SiteEntity } from '../sites/site.entity';
import { CreateSites1763780000000 } from './migrations/1763780000000-create-sites';
import { AddSiteAllowedHostnames1763790000000 } from './migrations/1763790000000-add-site-allowed-hostnames';

export const ENTITIES = [SiteEntity];
export const MIGRATIONS = [CreateSites1763780000000, AddSiteAllowedHostnames1763790000000];

/** The one Postgres connection of the API; schema changes only through committed migrations. */
export function createDataSource(databaseUrl: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    logging: ['error'],
  });
}
