import { Global, Module } from '@nestjs/common';
import { AdminKeyService } from './admin-keys/admin-key.service';
import { AlertDelivery } from './alerts/alert-delivery';
import { AlertEvaluation } from './alerts/alert-evaluation';
import { AlertsService } from './alerts/alerts.service';
import { ConnectionsService } from './connections/connections.service';
import { ConsoleSetupService } from './console-users/console-setup.service';
import { ConsoleSingleSignOnService } from './console-users/console-single-sign-on.service';
import { ConsoleUserService } from './console-users/console-users.service';
import { ConnectorBuilder } from './connections/connector-builder';
import { OAuthConnectService } from './connections/oauth-connect.service';
import { MailTransport } from './delivery/mail-transport';
import { SurveyDispatcher } from './delivery/survey-dispatcher';
import { ResponseExportService } from './export/response-export.service';
import { HealthNightly } from './follow-ups/health-nightly';
import { HistoryImportService } from './import/history-import.service';
import { ImportCounting } from './import/import-counting';
import { SettlementEffects } from './follow-ups/settlement-effects';
import { TaskReadback } from './follow-ups/task-readback';
import { OutboxDispatcher } from './outbox/outbox-dispatcher';
import { WriteBacksService } from './outbox/write-backs.service';
import { PlanService } from './planning/plan.service';
import { RelationalSurveyPlanner } from './planning/relational-survey-planner';
import { TicketEvents } from './planning/ticket-events';
import { TicketSurveyPlanner } from './planning/ticket-survey-planner';
import { ProgramService } from './program/program.service';
import { AccountReportsService } from './reports/account-reports.service';
import { AccountSearchService } from './reports/account-search.service';
import { LoopClosureService } from './reports/loop-closure.service';
import { NpsReportsService } from './reports/nps-reports.service';
import { ReportTablesService } from './reports/report-tables.service';
import { ReportViewsService } from './reports/report-views.service';
import { ResponsePermalinkService } from './responses/response-permalink.service';
import { ResponseSettler } from './responses/settle-responses';
import { SurveyResponseService } from './responses/survey-response.service';
import { CrmSyncService } from './sync/crm-sync.service';
import { SyncRecovery } from './sync/sync-recovery';
import { SyncRunsService } from './sync/sync-runs.service';
import { SyncSchedule } from './sync/sync-schedule';
import { HelpdeskWebhookService } from './webhooks/helpdesk-webhook.service';
import { WebhookDeliveriesService } from './webhooks/webhook-deliveries.service';

/** Every application service, one per capability: one instance per process, whichever apps it runs. */
const APPLICATION_SERVICES = [
  AccountReportsService,
  AccountSearchService,
  AdminKeyService,
  AlertDelivery,
  AlertEvaluation,
  AlertsService,
  ConnectionsService,
  ConnectorBuilder,
  ConsoleSetupService,
  ConsoleSingleSignOnService,
  ConsoleUserService,
  CrmSyncService,
  HealthNightly,
  HelpdeskWebhookService,
  HistoryImportService,
  ImportCounting,
  LoopClosureService,
  MailTransport,
  NpsReportsService,
  OAuthConnectService,
  OutboxDispatcher,
  PlanService,
  ProgramService,
  ResponseExportService,
  RelationalSurveyPlanner,
  ReportTablesService,
  ReportViewsService,
  ResponsePermalinkService,
  ResponseSettler,
  SettlementEffects,
  SurveyDispatcher,
  SurveyResponseService,
  SyncRecovery,
  SyncRunsService,
  SyncSchedule,
  TaskReadback,
  TicketEvents,
  TicketSurveyPlanner,
  WebhookDeliveriesService,
  WriteBacksService,
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
