export * from './usage-cycle';
