export * from './test-context';
export * from './ingest-harness';
