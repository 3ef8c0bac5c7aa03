export { EventEnricher, parsePageUrl, type ClientInfo } from './intake/event-enricher';
export { hashVisitor } from './identity/visitor-hash';
export { CountryLookup } from '@sightline/enrich';
export { createReceiver } from './receiver/create-receiver';
export { createFlusher } from './flusher/create-flusher';
