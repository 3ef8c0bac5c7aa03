import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStoresConfig } from '@sightline/config';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../src/database/data-source';

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
    await dataSource.query(`INSERT INTO sites (domain, name) VALUES ('unique-check.test', 'a')`);
    await expect(
      dataSource.query(`INSERT INTO sites (domain, name) VALUES ('unique-check.test', 'b')`),
    ).rejects.toThrow(/sites_domain_key/);
  });
});
