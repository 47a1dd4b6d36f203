import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

/** Rows as a CRM sync would leave them, written straight to Postgres for planner tests. */
export class CrmFixtures {
  constructor(private readonly db: DataSource) {}

  async connection(kind = 'scripted'): Promise<string> {
    const [row] = await this.db.query(`INSERT INTO connections (kind, name, credentials_encrypted, status) VALUES ($1, $2, 'v1.x.y.z', 'active') RETURNING id`, [
      kind,
      `${kind} ${randomUUID()}`,
    ]);
    return row.id;
  }

  async owner(connectionId: string, externalId: string, name: string, email: string): Promise<void> {
    await this.db.query(`INSERT INTO crm_owners (connection_id, external_id, name, email) VALUES ($1, $2, $3, $4)`, [connectionId, externalId, name, email]);
  }

  async account(
    connectionId: string,
    fields: {
      externalId?: string;
      name?: string;
      arr?: string | null;
      renewalDate?: string | null;
      tier?: string | null;
      customerSince?: string | null;
      owner?: string | null;
      active?: boolean;
    } = {},
  ): Promise<string> {
    const [row] = await this.db.query(
      `INSERT INTO accounts (connection_id, external_id, name, arr, renewal_date, tier, customer_since, owner_external_id, active)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        connectionId,
        fields.externalId ?? `ACC-${randomUUID().slice(0, 8)}`,
        fields.name ?? 'Acme Corp',
        fields.arr === undefined ? '25000.00' : fields.arr,
        fields.renewalDate ?? null,
        fields.tier ?? 'Mid-Market',
        fields.customerSince ?? '2023-01-15',
        fields.owner ?? null,
        fields.active ?? true,
      ],
    );
    return row.id;
  }

  async contact(
    connectionId: string,
    accountId: string | null,
    fields: { email?: string | null; role?: string; firstName?: string; unsubscribed?: boolean; id?: string } = {},
  ): Promise<string> {
    const [row] = await this.db.query(
      `INSERT INTO contacts (${fields.id ? 'id, ' : ''}connection_id, external_id, account_id, email, first_name, role, unsubscribed_at)
       VALUES (${fields.id ? '$8, ' : ''}$1, $2, $3, $4, $5, $6, CASE WHEN $7 THEN now() END) RETURNING id`,
      [
        connectionId,
        `CON-${randomUUID().slice(0, 8)}`,
        accountId,
        fields.email === undefined ? `${randomUUID().slice(0, 8)}@customer.example` : fields.email,
        fields.firstName ?? 'Pat',
        fields.role ?? 'other',
        fields.unsubscribed ?? false,
        ...(fields.id ? [fields.id] : []),
      ],
    );
    return row.id;
  }

  async surveys(where = 'true', params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
    return this.db.query(
      `SELECT id, trigger, stream, status, skip_reason, contact_id, account_id, email, source_ref, scheduled_at, send_deadline_at
       FROM surveys WHERE ${where} ORDER BY created_at, email`,
      params,
    );
  }
}
