import { Inject, Injectable } from '@nestjs/common';
import type { SiteImportEntity, SiteEntity } from '@sightline/database';
import { IMPORT_SOURCES, type ImportSource, type SiteImportView } from '@sightline/api-contract';
import { wantsImports, type CompletedImport } from '@sightline/query';
import { conflict, invalid, notFound } from '../common/domain-error';
import { SiteImportsRepository } from './site-imports.repository';
import { checkUpload } from './upload-check';

const FILE_NAME = /^[\w.\- ()]{1,200}$/;

/** Uploads, lists and deletes a site's imports; the import-site-data worker job does the work. */
@Injectable()
export class ImportsService {
  constructor(@Inject(SiteImportsRepository) private readonly imports: SiteImportsRepository) {}

  async list(site: SiteEntity): Promise<SiteImportView[]> {
    return (await this.imports.list(site.id)).map(toView);
  }

  async upload(
    site: SiteEntity,
    userId: string,
    params: { source: unknown; filename: unknown },
    body: unknown,
  ): Promise<SiteImportView> {
    if (typeof params.source !== 'string' || !(IMPORT_SOURCES as readonly string[]).includes(params.source))
      throw invalid('source', `must be one of ${IMPORT_SOURCES.join(', ')}`);
    const source = params.source as ImportSource;
    const fileName = typeof params.filename === 'string' ? params.filename.trim() : '';
    if (!FILE_NAME.test(fileName))
      throw invalid('filename', 'the file name: letters, digits, spaces and . - _ ( ), at most 200');
    if (!Buffer.isBuffer(body)) throw invalid('body', 'send the file as the request body');
    checkUpload(source, fileName, body);
    if (await this.imports.hasActive(site.id))
      throw conflict(
        'import_in_progress',
        'An import of this site is already running; wait for it to finish',
      );
    return toView(
      await this.imports.create({ siteId: site.id, source, fileName, file: body, createdBy: userId }),
    );
  }

  async remove(site: SiteEntity, idParam: string): Promise<void> {
    const id = Number(idParam);
    if (!Number.isSafeInteger(id) || id <= 0) throw notFound('Import');
    const found = await this.imports.find(site.id, id);
    if (!found || found.status === 'deleting') throw notFound('Import');
    await this.imports.markDeleting(site.id, id);
  }

  /** The completed imports a stats query may read; none unless it asked for `include.imports`. */
  async forQuery(siteId: number, body: unknown): Promise<CompletedImport[] | undefined> {
    return wantsImports(body) ? this.imports.completedIds(siteId) : undefined;
  }
}

function toView(i: SiteImportEntity): SiteImportView {
  return {
    id: i.id,
    source: i.source,
    status: i.status,
    fileName: i.fileName,
    fileBytes: i.fileBytes,
    progress: i.progress,
    rowsRead: i.rowsRead,
    rowsImported: i.rowsImported,
    startDate: i.startDate,
    endDate: i.endDate,
    error: i.error,
    createdBy: i.creator?.email ?? null,
    createdAt: i.createdAt.toISOString(),
    finishedAt: i.finishedAt?.toISOString() ?? null,
  };
}
