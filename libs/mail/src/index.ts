export * from './mailer';
export * from './billing-mail-templates';
