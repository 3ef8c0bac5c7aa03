// The Postgres schema shared by the api and the workers: TypeORM entities, committed migrations and
// the one DataSource factory. Repositories stay in the app that uses them.
export * from './data-source';
export * from './entities/admin-audit-entry.entity';
export * from './entities/announcement.entity';
export * from './entities/api-key.entity';
export * from './entities/email-token.entity';
export * from './entities/invitation.entity';
export * from './entities/membership.entity';
export * from './entities/org.entity';
export * from './entities/recovery-code.entity';
export * from './entities/shared-link.entity';
export * from './entities/site.entity';
export * from './entities/site-import.entity';
export * from './entities/user-session.entity';
export * from './entities/user.entity';
export * from './entities/billing-profile.entity';
export * from './entities/stripe-event.entity';
export * from './entities/quota-state.entity';
export * from './entities/billing-mail.entity';
export * from './entities/usage-cycle.entity';
export * from './entities/report-subscription.entity';
export * from './entities/report-delivery.entity';
export * from './shared-link-token';
export * from './entities/funnel.entity';
