import { CreateCoreSchema20261123140000 } from './20261123140000-create-core-schema';
import { AddCrmSyncState20261123150000 } from './20261123150000-add-crm-sync-state';
import { AddSurveyDelivery20261123160000 } from './20261123160000-add-survey-delivery';
import { AddLoopClosure20261123170000 } from './20261123170000-add-loop-closure';
import { AddSurveySentIndex20261205100000 } from './20261205100000-add-survey-sent-index';
import { AddResponsePermalinks20261205110000 } from './20261205110000-add-response-permalinks';
import { AddSourceRemoval20261205120000 } from './20261205120000-add-source-removal';
import { AddArrHistory20261205130000 } from './20261205130000-add-arr-history';
import { AddWebhookDeliveryOutcome20261205140000 } from './20261205140000-add-webhook-delivery-outcome';
import { AddWebhookContentKey20261205170000 } from './20261205170000-add-webhook-content-key';
import { AddFaultRecovery20261205180000 } from './20261205180000-add-fault-recovery';
import { AddRequestThrottles20261205190000 } from './20261205190000-add-request-throttles';
import { AddVendorRateWindows20261206010000 } from './20261206010000-add-vendor-rate-windows';
import { RenameVendorKeys20261206020000 } from './20261206020000-rename-vendor-keys';
import { AddReportIndexes20261206030000 } from './20261206030000-add-report-indexes';
import { AddAlerts20261206040000 } from './20261206040000-add-alerts';
import { AddResponseExportCursor20261206050000 } from './20261206050000-add-response-export-cursor';
import { AddReportRollups20261206090000 } from './20261206090000-add-report-rollups';
import { AddLoopClosureRollups20261206091000 } from './20261206091000-add-loop-closure-rollups';
import { AddLatestRelationalAnswers20261206092000 } from './20261206092000-add-latest-relational-answers';
import { AddHistoryImports20261206100000 } from './20261206100000-add-history-imports';
import { AddConsoleUsers20261206110000 } from './20261206110000-add-console-users';
import { AddConsoleSetupTokens20261206120000 } from './20261206120000-add-console-setup-tokens';
import { AddConsoleSessions20261206130000 } from './20261206130000-add-console-sessions';
import { AddOutboxDismissed20261206140000 } from './20261206140000-add-outbox-dismissed';
import { AddOAuthAuthorizations20261206152000 } from './20261206152000-add-oauth-authorizations';
import { AddConnectionLastTest20261206180000 } from './20261206180000-add-connection-last-test';
import { AddAccountReportSums20261206200000 } from './20261206200000-add-account-report-sums';
import { CheaperResponseRollupTriggers20261206210000 } from './20261206210000-cheaper-response-rollup-triggers';
import { PlanTransitionJoinsPerStatement20261206220000 } from './20261206220000-plan-transition-joins-per-statement';
import { AccountTotalsLookUpArrByKey20261206230000 } from './20261206230000-account-totals-look-up-arr-by-key';
import { CountImportsOnce20261207000000 } from './20261207000000-count-imports-once';

/** Every migration, oldest first (TypeORM applies them in timestamp order). Never edit one that has landed. */
export const MIGRATIONS = [
  CreateCoreSchema20261123140000,
  AddCrmSyncState20261123150000,
  AddSurveyDelivery20261123160000,
  AddLoopClosure20261123170000,
  AddSurveySentIndex20261205100000,
  AddResponsePermalinks20261205110000,
  AddSourceRemoval20261205120000,
  AddArrHistory20261205130000,
  AddWebhookDeliveryOutcome20261205140000,
  AddWebhookContentKey20261205170000,
  AddFaultRecovery20261205180000,
  AddRequestThrottles20261205190000,
  AddVendorRateWindows20261206010000,
  RenameVendorKeys20261206020000,
  AddReportIndexes20261206030000,
  AddAlerts20261206040000,
  AddResponseExportCursor20261206050000,
  AddReportRollups20261206090000,
  AddLoopClosureRollups20261206091000,
  AddLatestRelationalAnswers20261206092000,
  AddHistoryImports20261206100000,
  AddConsoleUsers20261206110000,
  AddConsoleSetupTokens20261206120000,
  AddConsoleSessions20261206130000,
  AddOutboxDismissed20261206140000,
  AddOAuthAuthorizations20261206152000,
  AddConnectionLastTest20261206180000,
  AddAccountReportSums20261206200000,
  CheaperResponseRollupTriggers20261206210000,
  PlanTransitionJoinsPerStatement20261206220000,
  AccountTotalsLookUpArrByKey20261206230000,
  CountImportsOnce20261207000000,
];
