// Throw-away Postgres databases: those of a bench, chaos or drill run, and `npm test`'s (created by
// scripts/setup/prepare-stores.ts like any missing database, dropped here at the end). Names cannot be bound as parameters, so every name is
// checked against a pattern before it reaches SQL; dropping is limited to the runs' own prefixes.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** The only databases a runner may drop: `npm test`'s and the runs'. */
const THROW_AWAY = /^sightline_(test|bench|chaos|drill)_[a-z0-9]+$/;

export async function withPostgres<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function databaseName(databaseUrl: string): string {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  if (!DATABASE_NAME.test(name)) throw new Error(`Unsupported database name: ${name}`);
  return name;
}

/** The maintenance database `postgres` on the server of `databaseUrl`. */
export function adminUrlOf(databaseUrl: string): string {
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  return admin.toString();
}

/** Drops a throw-away database (npm test's or a run's); refuses any other name. */
export async function dropThrowAwayDatabase(databaseUrl: string): Promise<void> {
  const name = databaseName(databaseUrl);
  if (!THROW_AWAY.test(name)) throw new Error(`Refusing to drop ${name}: not a throw-away database`);
  // FORCE: a service killed a moment ago may still hold a connection.
  await withPostgres(adminUrlOf(databaseUrl), (client) =>
    client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  );
}

/** A new, empty database `sightline_<kind>_<suffix>` on the server of `serverUrl`. */
export async function createThrowAwayDatabase(
  serverUrl: string,
  kind: 'bench' | 'chaos' | 'drill',
  suffix = randomBytes(5).toString('hex'),
): Promise<string> {
  const url = new URL(serverUrl);
  url.pathname = `/sightline_${kind}_${suffix}`;
  const name = databaseName(url.toString());
  if (!THROW_AWAY.test(name)) throw new Error(`Unsupported run database name: ${name}`);
  await withPostgres(adminUrlOf(serverUrl), (client) => client.query(`CREATE DATABASE "${name}"`));
  return url.toString();
}

/** Sites (in one new org) as the API would create them; their ids in the order of `domains`. */
export async function insertSites(
  databaseUrl: string,
  domains: readonly string[],
  orgName: string,
): Promise<number[]> {
  return withPostgres(databaseUrl, async (client) => {
    const org = await client.query<{ id: string }>(`INSERT INTO orgs (name) VALUES ($1) RETURNING id`, [
      orgName,
    ]);
    const orgId = org.rows[0]?.id;
    if (orgId === undefined) throw new Error('INSERT INTO orgs returned no id');
    const ids: number[] = [];
    for (const domain of domains) {
      const res = await client.query<{ id: number }>(
        'INSERT INTO sites (domain, name, org_id) VALUES ($1, $1, $2) RETURNING id',
        [domain, orgId],
      );
      const id = res.rows[0]?.id;
      if (id === undefined) throw new Error('INSERT INTO sites returned no id');
      ids.push(Number(id));
    }
    return ids;
  });
}
