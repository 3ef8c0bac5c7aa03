import type { Pool } from 'pg';

export interface IngestSite {
  id: number;
  /** Empty: any page host is accepted. */
  allowedHostnames: string[];
}

/** Read-only view of the API's `sites` table: what the receiver needs to accept an event. */
export class SiteRepository {
  constructor(private readonly pool: Pool) {}

  async findByDomain(domain: string): Promise<IngestSite | null> {
    const result = await this.pool.query<{ id: number; allowed_hostnames: string[] }>(
      'SELECT id, allowed_hostnames FROM sites WHERE domain = $1 AND deleted_at IS NULL',
      [domain],
    );
    const row = result.rows[0];
    return row ? { id: row.id, allowedHostnames: row.allowed_hostnames } : null;
  }
}
