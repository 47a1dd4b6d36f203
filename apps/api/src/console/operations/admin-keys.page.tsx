import type { AdminKey } from '@libs/db/src';
import type { CreatedAdminKey } from '@libs/app/src/admin-keys/admin-key.service';
import { Badge, Column, DataTable, DateTime, ErrorSummary, PostForm, TextField } from '../components';
import { PageContext } from '../page-context';
import { renderPage } from '../render';
import { OPERATIONS_SECTION } from '../console-nav';

export const ADMIN_KEYS_URL = '/console/operations/admin-keys';

export function adminKeysPage(ctx: PageContext, keys: AdminKey[], form: { name?: string; error?: string } = {}): string {
  const columns: Column<AdminKey>[] = [
    { header: 'Name', cell: (k) => k.name },
    { header: 'Starts with', cell: (k) => <code>{`${k.prefix}…`}</code> },
    { header: 'Made', cell: (k) => <DateTime at={k.createdAt} /> },
    { header: 'Last used', cell: (k) => <DateTime at={k.lastUsedAt} /> },
    {
      header: 'State',
      cell: (k) =>
        k.revokedAt ? (
          <>
            <Badge tone="bad">revoked</Badge> <DateTime at={k.revokedAt} />
          </>
        ) : (
          <Badge tone="good">active</Badge>
        ),
    },
    {
      header: 'Actions',
      cell: (k) =>
        k.revokedAt ? (
          <span class="muted">—</span>
        ) : (
          <a class="button secondary" href={`${ADMIN_KEYS_URL}/${k.id}/revoke`} aria-label={`Revoke the key ${k.name}`}>
            Revoke
          </a>
        ),
    },
  ];
  return renderPage(ctx, {
    title: 'Admin keys',
    section: OPERATIONS_SECTION,
    children: (
      <>
        <p>
          Admin keys open the admin API (<code>/api</code>, documented at <a href="/docs">/docs</a>): send one as <code>Authorization: Bearer &lt;key&gt;</code>. A key is shown
          once, when it is made; only a hash of it is stored.
        </p>
        <DataTable caption="Admin keys, oldest first" columns={columns} rows={keys} rowKey={(k) => k.id} empty={<p>No admin key exists yet. Make one below.</p>} />
        <h2 id="new-key">Make a new key</h2>
        <ErrorSummary errors={{ name: form.error }} labels={{ name: 'Name' }} />
        <PostForm action={ADMIN_KEYS_URL} class="narrow" aria-label="Make a new admin key">
          <TextField
            name="name"
            label="Name"
            hint="What the key is for, to tell keys apart (for example: ops laptop, warehouse export)."
            value={form.name}
            error={form.error}
            maxLength={100}
            required
          />
          <div class="actions">
            <button type="submit">Make key</button>
          </div>
        </PostForm>
      </>
    ),
  });
}

export function createdAdminKeyPage(ctx: PageContext, created: CreatedAdminKey): string {
  return renderPage(ctx, {
    title: 'Admin key made',
    section: OPERATIONS_SECTION,
    children: (
      <div class="narrow">
        <p>
          The key <strong>{created.name}</strong> is below. Copy it now: this is the only time it is shown. If it is lost, revoke it and make another.
        </p>
        <p>
          <code class="secret" aria-label="The new admin key">
            {created.key}
          </code>
        </p>
        <p>
          Use it as <code>Authorization: Bearer &lt;key&gt;</code> on <code>/api</code>.
        </p>
        <p>
          <a href={ADMIN_KEYS_URL}>Back to admin keys</a>
        </p>
      </div>
    ),
  });
}

export function revokeAdminKeyPage(ctx: PageContext, key: AdminKey): string {
  return renderPage(ctx, {
    title: `Revoke the key “${key.name}”?`,
    section: OPERATIONS_SECTION,
    children: (
      <div class="narrow">
        <p>
          Requests made with the key starting <code>{`${key.prefix}…`}</code> will be refused from now on. This cannot be undone.
        </p>
        <PostForm action={`${ADMIN_KEYS_URL}/${key.id}/revoke`} class="actions" aria-label="Revoke the key">
          <button type="submit" class="danger">
            Revoke key
          </button>
          <a href={ADMIN_KEYS_URL}>Keep it</a>
        </PostForm>
      </div>
    ),
  });
}
