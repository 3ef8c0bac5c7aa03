export * from './test-context';
export * from './event-rows';
export * from './ingest-harness';
export * from './child-process';
export * from './mail-catcher';
// Private stores for tests that stop one on purpose, and free ports: the one harness.
export { PrivateClickHouse, PrivateRedis, freePort as freeLoopbackPort } from '@sightline/harness';
