export * from './database/data-source';
export * from './sites/site.entity';
