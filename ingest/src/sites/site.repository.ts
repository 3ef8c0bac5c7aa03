import type { Pool } from 'pg';

/** Read-only view of the API's `sites` table: the receiver only needs domain → id. */
export class SiteRepository {
  constructor(private readonly pool: Pool) {}

  async findIdByDomain(domain: string): Promise<number | null> {
    const result = await this.pool.query<{ id: number }>('SELECT id FROM sites WHERE domain = $1', [domain]);
    return result.rows[0]?.id ?? null;
  }
}
