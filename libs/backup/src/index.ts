export * from './backup-manifest';
export * from './backup-storage';
export * from './backup-metrics';
export * from './postgres-backup';
export * from './clickhouse-backup';
export * from './clickhouse-backup.repository';
export * from './backup-runner';
