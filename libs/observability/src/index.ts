export * from './logger';
export * from './metrics';
export * from './internal-server';
export * from './error-reporting';
export * from './run-service';
