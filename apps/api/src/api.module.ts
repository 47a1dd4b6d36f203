import { Module } from '@nestjs/common';
import { AdminKeysModule } from './admin-keys/admin-keys.module';
import { AlertsModule } from './alerts/alerts.module';
import { ConnectionsModule } from './connections/connections.module';
import { ConsoleModule } from './console/console.module';
import { ExportModule } from './export/export.module';
import { ImportsModule } from './imports/imports.module';
import { LoopClosureModule } from './loop/loop.module';
import { PlanModule } from './plan/plan.module';
import { ProgramModule } from './program/program.module';
import { ReportsModule } from './reports/reports.module';
import { SurveysModule } from './surveys/surveys.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { HealthController } from './health/health.controller';
import { SecurityModule } from './security/security.module';

/** The HTTP features: admin API (behind admin keys), loop closure, health, helpdesk webhooks, survey pages, the console. */
@Module({
  imports: [
    SecurityModule,
    AdminKeysModule,
    ConnectionsModule,
    ProgramModule,
    PlanModule,
    SurveysModule,
    WebhooksModule,
    LoopClosureModule,
    AlertsModule,
    ExportModule,
    ReportsModule,
    ImportsModule,
    ConsoleModule,
  ],
  controllers: [HealthController],
})
export class ApiModule {}
