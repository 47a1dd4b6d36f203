import { PASSWORD_MIN_LENGTH } from '@libs/app/src/console-users/console-password';
import type { ConsoleUser } from '@libs/app/src/console-users/console-users.service';
import { Column, DataTable, DateTime, ErrorSummary, FieldErrors, PostForm, SelectField, TextField } from '../components';
import { PageContext } from '../page-context';
import { renderPage } from '../render';
import { OPERATIONS_SECTION } from '../console-nav';

export const USERS_URL = '/console/operations/users';

const ROLE_OPTIONS = [
  { value: 'viewer', label: 'Viewer: the dashboard and reports' },
  { value: 'admin', label: 'Admin: everything' },
] as const;
const ROLE_SHORT = [
  { value: 'viewer', label: 'Viewer' },
  { value: 'admin', label: 'Admin' },
] as const;
const LABELS = { email: 'Email', password: 'Password', role: 'Role' };

export interface NewUserForm {
  email?: string;
  role?: string;
  errors?: FieldErrors;
}

function RoleForm({ user }: { user: ConsoleUser }) {
  return (
    <PostForm action={`${USERS_URL}/${user.id}/role`} class="inline" aria-label={`Role of ${user.email}`}>
      <SelectField id={`role-${user.id}`} name="role" label={`Role of ${user.email}`} options={ROLE_SHORT} value={user.role} hideLabel />
      <button type="submit" class="secondary">
        Change
      </button>
    </PostForm>
  );
}

export function usersPage(ctx: PageContext, users: ConsoleUser[], form: NewUserForm = {}, problem?: string): string {
  const columns: Column<ConsoleUser>[] = [
    { header: 'Email', cell: (u) => (u.id === ctx.user?.id ? `${u.email} (you)` : u.email) },
    { header: 'Role', cell: (u) => <RoleForm user={u} /> },
    { header: 'Added', cell: (u) => <DateTime at={u.createdAt} /> },
    { header: 'Last sign-in', cell: (u) => <DateTime at={u.lastLoginAt} /> },
    {
      header: 'Actions',
      cell: (u) => (
        <a class="button secondary" href={`${USERS_URL}/${u.id}/remove`} aria-label={`Remove ${u.email}`}>
          Remove
        </a>
      ),
    },
  ];
  return renderPage(ctx, {
    title: 'Console users',
    section: OPERATIONS_SECTION,
    children: (
      <>
        {problem ? (
          <div class="error-summary" role="alert" aria-labelledby="users-problem">
            <h2 id="users-problem">That could not be done</h2>
            <p>{problem}</p>
          </div>
        ) : null}
        <p>People who sign in to this console. Admins can do everything; viewers see the dashboard and reports only.</p>
        <DataTable caption="Console users by email" columns={columns} rows={users} rowKey={(u) => u.id} empty={<p>No console users yet.</p>} />
        <h2 id="new-user">Add a person</h2>
        <ErrorSummary errors={form.errors ?? {}} labels={LABELS} />
        <PostForm action={USERS_URL} class="narrow" aria-label="Add a person">
          <TextField name="email" label="Email" type="email" value={form.email} error={form.errors?.email} autocomplete="off" required />
          <TextField
            name="password"
            label="Password"
            type="password"
            hint={`At least ${PASSWORD_MIN_LENGTH} characters. Give it to them in person or through your password manager.`}
            error={form.errors?.password}
            autocomplete="new-password"
            minLength={PASSWORD_MIN_LENGTH}
            required
          />
          <SelectField name="role" label="Role" options={ROLE_OPTIONS} value={form.role ?? 'viewer'} error={form.errors?.role} />
          <div class="actions">
            <button type="submit">Add person</button>
          </div>
        </PostForm>
      </>
    ),
  });
}

export function removeUserPage(ctx: PageContext, user: ConsoleUser): string {
  return renderPage(ctx, {
    title: `Remove ${user.email}?`,
    section: OPERATIONS_SECTION,
    children: (
      <div class="narrow">
        <p>{user.id === ctx.user?.id ? 'This is your own account: you will be signed out at once.' : 'They will be signed out at their next click and can no longer sign in.'}</p>
        <PostForm action={`${USERS_URL}/${user.id}/remove`} class="actions" aria-label="Remove the person">
          <button type="submit" class="danger">
            Remove
          </button>
          <a href={USERS_URL}>Keep them</a>
        </PostForm>
      </div>
    ),
  });
}
