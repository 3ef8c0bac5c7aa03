// One harness for starting Sightline's stores and services, for `npm start`/`npm test`
// (scripts/*.mjs import the .mjs modules directly, before dependencies are installed), the tests
// (through @sightline/testing), the benches and chaos run (loadtests/) and the restore drill.
export * from './output.mjs';
export * from './processes.mjs';
export * from './stores.mjs';
export * from './services.mjs';
export * from './cleanup-stack';
export * from './private-database';
export * from './run-stores';
export * from './ingest-services';
export * from './tcp-proxy';
