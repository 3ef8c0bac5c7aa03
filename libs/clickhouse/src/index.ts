export * from './sql-literal';
export * from './clickhouse-client';
export * from './clickhouse-migrator';
export * from './events.repository';
export * from './clickhouse-errors';
export * from './site-scoped-tables';
export * from './web-vitals.repository';
