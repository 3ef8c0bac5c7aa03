// Generates a TypeORM migration from the difference between the entities and the committed
// migrations: applies them to a scratch database, asks TypeORM's schema builder what is missing,
// and writes libs/database/src/migrations/<timestamp>-<name>.ts. Review the file, then add it to
// MIGRATIONS in libs/database/src/data-source.ts.  Usage: node --import tsx scripts/setup/generate-migration.ts add-accounts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { createDataSource } from '@sightline/database';
import { loadStoresConfig } from '@sightline/config';

const name = process.argv[2] ?? '';
if (!name || !/^[a-z0-9-]+$/.test(name)) throw new Error('usage: generate-migration.ts <kebab-case-name>');

async function main(): Promise<void> {
  const base = new URL(loadStoresConfig().DATABASE_URL);
  const scratch = `sightline_migration_${process.pid}`;
  const admin = new URL(base);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`CREATE DATABASE "${scratch}"`);
  try {
    const url = new URL(base);
    url.pathname = `/${scratch}`;
    const dataSource = createDataSource(url.toString());
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    const sqlLog = await dataSource.driver.createSchemaBuilder().log();
    await dataSource.destroy();
    if (sqlLog.upQueries.length === 0) {
      console.log('entities and migrations are in sync; nothing to generate');
    } else {
      const timestamp = Date.now();
      const className = name.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase()) + timestamp;
      const lines = (queries: { query: string }[]) =>
        queries.map((q) => `    await queryRunner.query(${JSON.stringify(q.query)});`).join('\n');
      const file = join('libs/database/src/migrations', `${timestamp}-${name}.ts`);
      writeFileSync(
        file,
        `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${lines(sqlLog.upQueries)}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${lines(sqlLog.downQueries.reverse())}
  }
}
`,
      );
      console.log(`wrote ${file} (${sqlLog.upQueries.length} statements); add ${className} to MIGRATIONS`);
    }
  } finally {
    await client.query(`DROP DATABASE IF EXISTS "${scratch}" WITH (FORCE)`);
    await client.end();
  }
}

void main();
