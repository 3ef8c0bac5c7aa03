// Creates the Postgres database when missing and applies the Postgres (TypeORM) and ClickHouse
// migrations. Idempotent: running it again applies nothing.
import { Client } from 'pg';
import { createDataSource } from '@sightline/database';
import { loadStoresConfig } from '@sightline/config';
import { createClickHouseClient, migrateClickHouse } from '@sightline/clickhouse';

export async function ensurePostgresDatabase(databaseUrl: string): Promise<void> {
  const target = new URL(databaseUrl);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new Error(`Unsupported database name: ${name}`);
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

export async function prepareStores(): Promise<void> {
  const config = loadStoresConfig();
  await ensurePostgresDatabase(config.DATABASE_URL);
  const dataSource = createDataSource(config.DATABASE_URL);
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    console.log(`postgres: ${applied.length} migration(s) applied`);
  } finally {
    await dataSource.destroy();
  }

  const conn = {
    url: config.CLICKHOUSE_URL,
    username: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
  };
  const admin = createClickHouseClient({ ...conn, database: 'default' });
  const client = createClickHouseClient({ ...conn, database: config.CLICKHOUSE_DATABASE });
  try {
    const applied = await migrateClickHouse(admin, client, config.CLICKHOUSE_DATABASE);
    console.log(
      `clickhouse: ${applied.length} migration(s) applied${applied.length ? ': ' + applied.join(', ') : ''}`,
    );
  } finally {
    await admin.close();
    await client.close();
  }
}

if (require.main === module) {
  prepareStores().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
