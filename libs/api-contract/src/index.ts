export * from './auth.contract';
export * from './orgs.contract';
export * from './sites.contract';
export * from './security.contract';
export * from './errors.contract';
export * from './routes';
export * from './billing.contract';
export * from './usage.contract';
