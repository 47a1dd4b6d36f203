import { Global, Module } from '@nestjs/common';
import { RequestThrottles } from './request-throttles';

/** The failure throttles, one per process, used by the admin-key middleware and the token pages. */
@Global()
@Module({
  providers: [RequestThrottles],
  exports: [RequestThrottles],
})
export class SecurityModule {}
