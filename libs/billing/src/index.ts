export * from './billing-mail-ledger';
export * from './billing-store';
export * from './capacity-writer';
export * from './stripe-sdk';
export * from './subscription-sync';
export * from './stripe-event-job';
