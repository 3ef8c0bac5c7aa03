/** Injection tokens for infrastructure values (classes are injected by their class). */
export const API_CONFIG = Symbol('ApiConfig');
export const LOGGER = Symbol('Logger');
export const REDIS = Symbol('Redis');
export const CLICKHOUSE = Symbol('ClickHouseClient');
export const OPENAPI_DOCUMENT = Symbol('OpenApiDocument');
/** The workers' BullMQ queue (the api only adds jobs to it). */
export const JOBS_QUEUE = Symbol('JobsQueue');
