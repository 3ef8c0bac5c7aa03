/** Nest injection tokens of the workers app (constructor parameters name them with @Inject). */
export const WORKERS_CONFIG = Symbol('WORKERS_CONFIG');
export const LOGGER = Symbol('LOGGER');
export const REDIS = Symbol('REDIS');
export const CLICKHOUSE = Symbol('CLICKHOUSE');
export const MAILER = Symbol('MAILER');
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
export const SCHEDULED_JOBS = Symbol('SCHEDULED_JOBS');
export const JOBS_QUEUE = Symbol('JOBS_QUEUE');
export const QUEUED_JOBS = Symbol('QUEUED_JOBS');
