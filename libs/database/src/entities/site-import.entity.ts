import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { SiteEntity } from './site.entity';
import { UserEntity } from './user.entity';

export const SITE_IMPORT_SOURCES = ['plausible', 'umami'] as const;
export type SiteImportSource = (typeof SITE_IMPORT_SOURCES)[number];
/** `deleting`: the owner removed it; the worker deletes its ClickHouse rows, then the record. */
export const SITE_IMPORT_STATUSES = ['queued', 'running', 'completed', 'failed', 'deleting'] as const;
export type SiteImportStatus = (typeof SITE_IMPORT_STATUSES)[number];

/**
 * Historical data imported into a site from a Plausible CSV export zip or an Umami data export.
 * Its rows live in ClickHouse's `imported_*` tables under `import_id = id`, apart from native
 * events, so deleting the import removes exactly them. The uploaded file waits in `file` (bytea:
 * the api and the workers share Postgres but no disk) until the worker has read it.
 */
@Entity({ name: 'site_imports' })
export class SiteImportEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Index('site_imports_site_id_idx')
  @Column({ type: 'integer', name: 'site_id' })
  siteId!: number;

  @ManyToOne(() => SiteEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'site_id', foreignKeyConstraintName: 'site_imports_site_id_fkey' })
  site?: SiteEntity;

  @Column({ type: 'text' })
  source!: SiteImportSource;

  @Index('site_imports_status_idx')
  @Column({ type: 'text' })
  status!: SiteImportStatus;

  /** The uploaded file's name, for the list. */
  @Column({ type: 'text', name: 'file_name' })
  fileName!: string;

  @Column({ type: 'integer', name: 'file_bytes' })
  fileBytes!: number;

  /** The upload until the worker has processed it (then null). Never selected with the list. */
  @Column({ type: 'bytea', nullable: true, select: false })
  file!: Buffer | null;

  /** 0–100. */
  @Column({ type: 'integer', default: 0 })
  progress!: number;

  /** Rows read from the upload so far. */
  @Column({ type: 'integer', name: 'rows_read', default: 0 })
  rowsRead!: number;

  /** Daily aggregate rows stored in ClickHouse. */
  @Column({ type: 'integer', name: 'rows_imported', default: 0 })
  rowsImported!: number;

  /** First and last day of the imported data (site timezone), known once completed. */
  @Column({ type: 'date', name: 'start_date', nullable: true })
  startDate!: string | null;

  @Column({ type: 'date', name: 'end_date', nullable: true })
  endDate!: string | null;

  /** Why it failed, in words for the owner. */
  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'uuid', name: 'created_by', nullable: true })
  createdBy!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'site_imports_created_by_fkey' })
  creator?: UserEntity;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;

  @Column({ type: 'timestamptz', name: 'finished_at', nullable: true })
  finishedAt!: Date | null;
}
