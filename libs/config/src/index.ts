export * from './config';
export * from './config.module';
export * from './credential-cipher';
export * from './logging';
export * from './runtime.module';
export * from './clock';
