export * from './mailer';
export * from './signed-token';
export * from './billing-mail-templates';
