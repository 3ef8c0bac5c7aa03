export * from './auth.contract';
export * from './orgs.contract';
export * from './sites.contract';
export * from './errors.contract';
export * from './routes';
export * from './billing.contract';
