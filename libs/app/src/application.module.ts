import { Global, Module } from '@nestjs/common';
import { AdminKeyService } from './admin-keys/admin-key.service';
import { AlertDelivery } from './alerts/alert-delivery';
import { AlertEvaluation } from './alerts/alert-evaluation';
import { AlertsService } from './alerts/alerts.service';
import { ConnectionsService } from './connections/connections.service';
import { ConnectorBuilder } from './connections/connector-builder';
import { MailTransport } from './delivery/mail-transport';
import { SurveyDispatcher } from './delivery/survey-dispatcher';
import { ResponseExportService } from './export/response-export.service';
import { HealthNightly } from './follow-ups/health-nightly';
import { SettlementEffects } from './follow-ups/settlement-effects';
import { TaskReadback } from './follow-ups/task-readback';
import { OutboxDispatcher } from './outbox/outbox-dispatcher';
import { PlanService } from './planning/plan.service';
import { RelationalSurveyPlanner } from './planning/relational-survey-planner';
import { TicketEvents } from './planning/ticket-events';
import { TicketSurveyPlanner } from './planning/ticket-survey-planner';
import { ProgramService } from './program/program.service';
import { AccountReportsService } from './reports/account-reports.service';
import { LoopClosureService } from './reports/loop-closure.service';
import { NpsReportsService } from './reports/nps-reports.service';
import { ReportViewsService } from './reports/report-views.service';
import { ResponsePermalinkService } from './responses/response-permalink.service';
import { ResponseSettler } from './responses/settle-responses';
import { SurveyResponseService } from './responses/survey-response.service';
import { CrmSyncService } from './sync/crm-sync.service';
import { SyncRecovery } from './sync/sync-recovery';
import { SyncSchedule } from './sync/sync-schedule';
import { HelpdeskWebhookService } from './webhooks/helpdesk-webhook.service';

/** Every application service, one per capability: one instance per process, whichever apps it runs. */
const APPLICATION_SERVICES = [
  AccountReportsService,
  AdminKeyService,
  AlertDelivery,
  AlertEvaluation,
  AlertsService,
  ConnectionsService,
  ConnectorBuilder,
  CrmSyncService,
  HealthNightly,
  HelpdeskWebhookService,
  LoopClosureService,
  MailTransport,
  NpsReportsService,
  OutboxDispatcher,
  PlanService,
  ProgramService,
  ResponseExportService,
  RelationalSurveyPlanner,
  ReportViewsService,
  ResponsePermalinkService,
  ResponseSettler,
  SettlementEffects,
  SurveyDispatcher,
  SurveyResponseService,
  SyncRecovery,
  SyncSchedule,
  TaskReadback,
  TicketEvents,
  TicketSurveyPlanner,
];

/**
 * The application layer as one global module: the api's controllers and the worker's consumers
 * and schedules inject these services; neither app provides a service of its own, so the
 * all-in-one has one ConnectorBuilder (the connector registry), one ProgramService and so on.
 */
@Global()
@Module({
  providers: APPLICATION_SERVICES,
  exports: APPLICATION_SERVICES,
})
export class ApplicationModule {}
