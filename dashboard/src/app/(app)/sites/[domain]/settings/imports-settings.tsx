'use client';

import { useId, useRef, useState, type FormEvent } from 'react';
import { IMPORT_MAX_UPLOAD_BYTES, type ImportSource, type SiteImportView } from '@sightline/api-contract';
import { useDeleteImport, useImportsQuery, useUploadImport } from '@/lib/queries/imports';
import { useConfirm } from '@/components/confirm-dialog';
import { FormError } from '@/components/field';
import { ErrorState, LoadingState } from '@/components/states';

const SOURCES: { value: ImportSource; label: string; hint: string }[] = [
  {
    value: 'plausible',
    label: 'Plausible (CSV export zip)',
    hint: 'Site settings → Imports & Exports → Export to CSV in Plausible; upload the zip as it is.',
  },
  {
    value: 'umami',
    label: 'Umami (data export CSV)',
    hint: 'Umami’s data export: the website_event CSV, or the zip that holds it.',
  },
];

const STATUS_LABEL: Record<SiteImportView['status'], string> = {
  queued: 'Waiting',
  running: 'Importing',
  completed: 'Imported',
  failed: 'Failed',
  deleting: 'Deleting',
};

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MB`;
}

/**
 * Upload Plausible / Umami history, follow the worker's progress, delete an import (and its data).
 * Imported figures count only for days before this site's own data starts.
 */
export function ImportsSettings({ domain }: { domain: string }) {
  const imports = useImportsQuery(domain);
  const upload = useUploadImport(domain);
  const remove = useDeleteImport(domain);
  const { confirm, dialog } = useConfirm();
  const [source, setSource] = useState<ImportSource>('plausible');
  const [file, setFile] = useState<File | null>(null);
  const [tooBig, setTooBig] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const sourceId = useId();
  const fileId = useId();
  const hintId = useId();
  const busy = imports.data?.some((i) => i.status === 'queued' || i.status === 'running') ?? false;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!file || tooBig) return;
    upload.mutate(
      { source, file },
      {
        onSuccess: () => {
          setFile(null);
          if (fileInput.current) fileInput.current.value = '';
        },
      },
    );
  };

  return (
    <section className="card stack" aria-labelledby={`${sourceId}-title`} data-testid="imports-settings">
      <h2 id={`${sourceId}-title`}>Imports</h2>
      <p className="muted small">
        Bring your history from Plausible or Umami. Imported figures are kept apart from the data this site
        collects and count only for days before its first tracked visit; delete an import to remove them.
      </p>
      <form className="form" onSubmit={submit} noValidate>
        <FormError
          message={
            tooBig
              ? `The file is larger than ${megabytes(IMPORT_MAX_UPLOAD_BYTES)}; export a shorter period.`
              : upload.error?.message
          }
        />
        <div className="field">
          <label className="label" htmlFor={sourceId}>
            Exported from
          </label>
          <select
            id={sourceId}
            className="select"
            value={source}
            onChange={(e) => setSource(e.target.value as ImportSource)}
            aria-describedby={hintId}
          >
            {SOURCES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
          <span className="hint" id={hintId}>
            {SOURCES.find((s) => s.value === source)?.hint} At most {megabytes(IMPORT_MAX_UPLOAD_BYTES)}.
          </span>
        </div>
        <div className="field">
          <label className="label" htmlFor={fileId}>
            Export file
          </label>
          <input
            id={fileId}
            ref={fileInput}
            className="input import-file"
            type="file"
            accept=".zip,.csv,application/zip,text/csv"
            onChange={(e) => {
              const chosen = e.target.files?.[0] ?? null;
              setFile(chosen);
              setTooBig(chosen !== null && chosen.size > IMPORT_MAX_UPLOAD_BYTES);
              upload.reset();
            }}
          />
        </div>
        <div>
          <button
            type="submit"
            className="btn btn-primary"
            disabled={!file || tooBig || upload.isPending || busy}
            title={busy ? 'Wait for the running import to finish' : undefined}
          >
            {upload.isPending ? 'Uploading…' : 'Upload and import'}
          </button>
        </div>
      </form>

      {imports.isPending ? (
        <LoadingState rows={2} />
      ) : imports.isError ? (
        <ErrorState error={imports.error} onRetry={() => void imports.refetch()} />
      ) : imports.data.length === 0 ? (
        <p className="muted small">No imports yet.</p>
      ) : (
        <ul className="import-list" aria-label="Imports">
          {imports.data.map((item) => (
            <ImportItem
              key={item.id}
              item={item}
              deleting={remove.isPending && remove.variables === item.id}
              onDelete={() =>
                confirm({
                  title: 'Delete this import?',
                  message: (
                    <>
                      The data imported from <strong>{item.fileName}</strong> is removed from every report.
                      The data this site collected itself stays.
                    </>
                  ),
                  confirmLabel: 'Delete import',
                  danger: true,
                  onConfirm: () => remove.mutate(item.id),
                })
              }
            />
          ))}
        </ul>
      )}
      <FormError message={remove.error?.message} />
      {dialog}
    </section>
  );
}

function ImportItem({
  item,
  deleting,
  onDelete,
}: {
  item: SiteImportView;
  deleting: boolean;
  onDelete: () => void;
}) {
  const active = item.status === 'queued' || item.status === 'running';
  return (
    <li className="import-item" data-testid="import-item" data-status={item.status}>
      <div className="import-item-head">
        <span className="import-item-name">
          <strong>{item.source === 'plausible' ? 'Plausible' : 'Umami'}</strong>{' '}
          <span className="muted small">{item.fileName}</span>
        </span>
        <span
          className={`badge ${item.status === 'completed' ? 'badge-good' : item.status === 'failed' ? 'badge-bad' : 'badge-accent'}`}
        >
          {STATUS_LABEL[item.status]}
        </span>
      </div>
      {active ? (
        <div className="import-progress">
          <div
            className="import-progress-bar"
            role="progressbar"
            aria-label={`Import of ${item.fileName}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={item.progress}
          >
            <span style={{ width: `${Math.max(2, item.progress)}%` }} />
          </div>
          <span className="small muted">
            {item.status === 'queued'
              ? 'Waiting for a worker…'
              : item.rowsRead === 0
                ? 'Starting…'
                : `${item.progress}% · ${item.rowsRead.toLocaleString()} ${item.rowsRead === 1 ? 'row' : 'rows'} read`}
          </span>
        </div>
      ) : null}
      {item.status === 'completed' ? (
        <p className="small muted">
          {item.startDate} – {item.endDate} · {item.rowsImported.toLocaleString()} daily rows
          {item.createdBy ? ` · by ${item.createdBy}` : ''}
        </p>
      ) : null}
      {item.status === 'failed' ? (
        <p className="notice notice-error small" role="alert">
          {item.error}
        </p>
      ) : null}
      {!active ? (
        <div>
          <button type="button" className="btn btn-ghost btn-sm" onClick={onDelete} disabled={deleting}>
            {deleting ? 'Deleting…' : item.status === 'failed' ? 'Remove' : 'Delete import…'}
          </button>
        </div>
      ) : null}
    </li>
  );
}
