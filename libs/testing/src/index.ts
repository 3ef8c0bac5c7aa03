export * from './test-context';
export * from './ingest-harness';
export * from './child-process';
export * from './private-redis';
export * from './mail-catcher';
