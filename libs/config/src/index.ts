export * from './env-schema';
export * from './ingest.config';
export * from './database.config';
export * from './api.config';
export * from './billing.config';
export * from './workers.config';
export * from './backup.config';
