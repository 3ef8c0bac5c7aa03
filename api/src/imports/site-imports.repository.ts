import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, type Repository } from 'typeorm';
import { SiteImportEntity, type SiteImportSource } from '@sightline/database';

/** site_imports rows of one site (the caller has checked access to it). */
@Injectable()
export class SiteImportsRepository {
  private readonly imports: Repository<SiteImportEntity>;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.imports = dataSource.getRepository(SiteImportEntity);
  }

  list(siteId: number): Promise<SiteImportEntity[]> {
    return this.imports.find({
      where: { siteId, status: In(['queued', 'running', 'completed', 'failed']) },
      relations: { creator: true },
      order: { createdAt: 'DESC', id: 'DESC' },
    });
  }

  find(siteId: number, id: number): Promise<SiteImportEntity | null> {
    return this.imports.findOneBy({ siteId, id });
  }

  /** The site's completed imports: the only ones queries may read. */
  async completedIds(siteId: number): Promise<{ id: number; startDate: string | null }[]> {
    return this.imports.find({
      select: { id: true, startDate: true },
      where: { siteId, status: 'completed' },
    });
  }

  async hasActive(siteId: number): Promise<boolean> {
    return this.imports.existsBy({ siteId, status: In(['queued', 'running']) });
  }

  async create(fields: {
    siteId: number;
    source: SiteImportSource;
    fileName: string;
    file: Buffer;
    createdBy: string | null;
  }): Promise<SiteImportEntity> {
    const saved = await this.imports.save(
      this.imports.create({ ...fields, fileBytes: fields.file.length, status: 'queued' }),
    );
    return (await this.imports.findOne({ where: { id: saved.id }, relations: { creator: true } }))!;
  }

  /**
   * Hands the import to the worker for deletion of its rows. A running one keeps finished_at
   * empty: the worker that runs it sets it when it notices, and only then are its rows deleted.
   */
  async markDeleting(siteId: number, id: number): Promise<void> {
    await this.imports
      .createQueryBuilder()
      .update()
      .set({
        status: 'deleting',
        file: null,
        finishedAt: () => `CASE WHEN status = 'running' THEN NULL ELSE now() END`,
      })
      .where('id = :id AND site_id = :siteId AND status != :deleting', { id, siteId, deleting: 'deleting' })
      .execute();
  }
}
