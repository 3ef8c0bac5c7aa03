import type { BackupStore } from './backup-manifest';

/**
 * Backups run as Kubernetes CronJobs: their pods live for minutes, so Prometheus cannot scrape
 * them. The Prometheus Pushgateway exists for exactly this case (a service-level batch job's
 * outcome), and the alert on backup age reads what is pushed here. POST replaces only the metrics
 * named in the body, so a failure push keeps the last success timestamp.
 */
export interface BackupOutcome {
  store: BackupStore;
  ok: boolean;
  durationSeconds: number;
  bytes: number;
  at: Date;
}

export function backupMetricsText(outcome: BackupOutcome): string {
  const seconds = Math.floor(outcome.at.getTime() / 1000);
  const lines: string[] = [];
  const metric = (name: string, type: string, help: string, value: number) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
  };
  if (outcome.ok) {
    metric(
      'sightline_backup_last_success_timestamp_seconds',
      'gauge',
      'When the last complete backup of the store finished.',
      seconds,
    );
    metric('sightline_backup_size_bytes', 'gauge', 'Size of the last complete backup.', outcome.bytes);
    metric(
      'sightline_backup_duration_seconds',
      'gauge',
      'How long the last complete backup took.',
      outcome.durationSeconds,
    );
  } else {
    metric(
      'sightline_backup_last_failure_timestamp_seconds',
      'gauge',
      'When a backup of the store last failed.',
      seconds,
    );
  }
  return lines.join('\n') + '\n';
}

export async function pushBackupMetrics(pushgatewayUrl: string, outcome: BackupOutcome): Promise<void> {
  const url = new URL(
    `metrics/job/sightline_backup/store/${outcome.store}`,
    pushgatewayUrl.replace(/\/?$/, '/'),
  );
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'text/plain; version=0.0.4' },
    body: backupMetricsText(outcome),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`Pushgateway answered ${res.status}`);
}
