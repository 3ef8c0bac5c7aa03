import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStoresConfig } from '@sightline/config';
import type { DataSource } from 'typeorm';
import { createDataSource } from '@sightline/database';

describe('Postgres schema', () => {
  let dataSource: DataSource;
  beforeAll(async () => {
    dataSource = createDataSource(loadStoresConfig().DATABASE_URL);
    await dataSource.initialize();
  });
  afterAll(() => dataSource.destroy());

  it('has every migration applied', async () => {
    expect(await dataSource.showMigrations()).toBe(false);
  });

  it('matches the entities exactly (no change left for a new migration)', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('keeps site domains unique', async () => {
    const [org] = (await dataSource.query(
      `INSERT INTO orgs (name) VALUES ('unique check') RETURNING id`,
    )) as [{ id: string }];
    const insert = `INSERT INTO sites (domain, name, org_id) VALUES ('unique-check.test', 'a', $1)`;
    await dataSource.query(insert, [org.id]);
    await expect(dataSource.query(insert, [org.id])).rejects.toThrow(/sites_domain_key/);
  });
});
