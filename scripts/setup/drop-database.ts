// Drops the database named in DATABASE_URL (used by `npm test` to remove its throw-away database).
import { Client } from 'pg';
import { loadStoresConfig } from '@sightline/config';

async function main(): Promise<void> {
  const url = new URL(loadStoresConfig().DATABASE_URL);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/^sightline_test_[a-z0-9]+$/.test(name))
    throw new Error(`Refusing to drop ${name}: not a test database`);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
