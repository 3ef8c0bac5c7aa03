export * from './mailer';
export * from './signed-token';
