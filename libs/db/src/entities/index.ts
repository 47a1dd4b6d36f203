import { Account } from './account.entity';
import { AdminKey } from './admin-key.entity';
import { ArrSnapshot } from './arr-snapshot.entity';
import { AuditEntry } from './audit-entry.entity';
import { Connection } from './connection.entity';
import { Contact } from './contact.entity';
import { ContactRoleRelation } from './contact-role.entity';
import { CrmOwner } from './crm-owner.entity';
import { FollowUp } from './follow-up.entity';
import { OutboxMessage } from './outbox-message.entity';
import { Response } from './response.entity';
import { Survey } from './survey.entity';
import { SyncCursor, SyncRun } from './sync.entity';
import { WebhookDelivery } from './webhook-delivery.entity';

export * from './account.entity';
export * from './admin-key.entity';
export * from './arr-snapshot.entity';
export * from './audit-entry.entity';
export * from './connection.entity';
export * from './contact.entity';
export * from './contact-role.entity';
export * from './crm-owner.entity';
export * from './follow-up.entity';
export * from './outbox-message.entity';
export * from './response.entity';
export * from './survey.entity';
export * from './sync.entity';
export * from './webhook-delivery.entity';

export const ENTITIES = [
  AdminKey,
  Connection,
  CrmOwner,
  Account,
  ArrSnapshot,
  Contact,
  ContactRoleRelation,
  Survey,
  Response,
  FollowUp,
  SyncCursor,
  SyncRun,
  WebhookDelivery,
  OutboxMessage,
  AuditEntry,
];
