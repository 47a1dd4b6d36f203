import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './config';
import { CLOCK, systemClock } from './clock';

export const APP_CONFIG = Symbol('APP_CONFIG');

/** Makes the validated configuration (APP_CONFIG) and the clock (CLOCK) injectable everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: systemClock() },
      ],
      exports: [APP_CONFIG, CLOCK],
    };
  }
}
