import { CreateCoreSchema20261123140000 } from './20261123140000-create-core-schema';
import { AddCrmSyncState20261123150000 } from './20261123150000-add-crm-sync-state';
import { AddSurveyDelivery20261123160000 } from './20261123160000-add-survey-delivery';
import { AddLoopClosure20261123170000 } from './20261123170000-add-loop-closure';

/** Every migration, oldest first. Add new ones at the end; never edit one that has landed. */
export const MIGRATIONS = [CreateCoreSchema20261123140000, AddCrmSyncState20261123150000, AddSurveyDelivery20261123160000, AddLoopClosure20261123170000];
