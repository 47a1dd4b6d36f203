export * from './entities';
export * from './data-source';
export * from './database';
export * from './database-url';
export * from './embedded-postgres';
export * from './database.module';
export * from './migrate';
export * from './query-result';
