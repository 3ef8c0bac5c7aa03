export * from './incoming-event';
export * from './event-row';
export * from './event-row-serializer';
export * from './domain-name';
export * from './vitals-row';
