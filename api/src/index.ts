export * from './database/data-source';
export * from './sites/site.entity';
export { createApi } from './create-api';
