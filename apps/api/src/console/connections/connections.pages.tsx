import { Fragment } from 'preact';
import type { ConnectionDto, SyncRunDto } from '@libs/app/src/connections/connection.dto';
import type { SetupResult } from '@libs/app/src/connections/connections.service';
import type { ConnectorChoice } from '@libs/app/src/connections/connector-forms';
import type { FieldMappingModel } from '@libs/app/src/connections/field-mapping';
import { Column, DataTable, DateTime, PostForm } from '../components';
import { formatCount } from '../format';
import { PageContext } from '../page-context';
import { renderPage } from '../render';
import {
  CONNECT_URL,
  CONNECTIONS_URL,
  connectionUrl,
  ConnectionStatus,
  humanize,
  RunLine,
  RunStatus,
  runProgress,
  syncRunUrl,
  TestLine,
  TestResult,
  vendorLabel,
  VendorProblem,
} from './connection-parts';
import { oauthFormUrl } from './connect.pages';

export interface ConnectionRow {
  connection: ConnectionDto;
  lastRun: SyncRunDto | undefined;
  isCrm: boolean;
}

/** Every connection with its status, latest test and latest sync. */
export function connectionsPage(ctx: PageContext, rows: ConnectionRow[]): string {
  const columns: Column<ConnectionRow>[] = [
    { header: 'Connection', cell: (r) => <a href={connectionUrl(r.connection.id)}>{r.connection.name}</a> },
    { header: 'Vendor', cell: (r) => `${vendorLabel(r.connection.kind)} (${r.isCrm ? 'CRM' : 'helpdesk'})` },
    {
      header: 'Status',
      cell: (r) => (
        <>
          <ConnectionStatus status={r.connection.status} />
          {r.connection.statusReason ? <span class="vendor-words">{` ${r.connection.statusReason}`}</span> : null}
        </>
      ),
    },
    { header: 'Last test', cell: (r) => <TestLine test={r.connection.lastTest} /> },
    {
      header: 'Last sync',
      cell: (r) => (r.isCrm ? <RunLine connectionId={r.connection.id} run={r.lastRun} /> : <span class="muted">Tickets arrive by webhook</span>),
    },
  ];
  return renderPage(ctx, {
    title: 'Connections',
    children: (
      <>
        <p>The CRMs and helpdesks nps-bridge reads and writes.</p>
        <p>
          <a class="button" href={CONNECT_URL}>
            Connect a vendor
          </a>
        </p>
        <DataTable
          caption="Connections, oldest first"
          columns={columns}
          rows={rows}
          rowKey={(r) => r.connection.id}
          empty={<p>Nothing is connected yet. Connect your CRM first: accounts, contacts and renewals come from there.</p>}
        />
      </>
    ),
  });
}

export interface ConnectionPageData {
  connection: ConnectionDto;
  connector: ConnectorChoice | undefined;
  runs: SyncRunDto[];
  mapping: FieldMappingModel | undefined;
  /** A vendor refusal met while answering the last form on this page. */
  problem?: { title: string; words: string };
}

function MappingSummary({ connection, mapping }: { connection: ConnectionDto; mapping: FieldMappingModel }) {
  const renamed = mapping.writes.filter((w) => w.current !== w.defaultName);
  return (
    <>
      <dl class="facts">
        {mapping.reads.map((r) => (
          <Fragment key={r.key}>
            <dt>{humanize(r.key)}</dt>
            <dd>{r.choosable ? r.current ? <code>{r.current}</code> : <span class="muted">not mapped</span> : r.shown}</dd>
          </Fragment>
        ))}
      </dl>
      <p>
        {renamed.length
          ? `NPS fields written to fields of your own: ${renamed.map((w) => `${w.label} → ${w.current}`).join('; ')}. The others keep their default names.`
          : 'NPS fields are written under their default names (the setup creates them).'}
      </p>
      <p>
        <a class="button secondary" href={`${connectionUrl(connection.id)}/fields`}>
          Choose fields
        </a>
      </p>
    </>
  );
}

/** One connection: its state, the latest test, the field mapping, the setup and its syncs. */
export function connectionPage(ctx: PageContext, data: ConnectionPageData): string {
  const { connection, connector, runs, mapping } = data;
  const label = connector?.label ?? connection.kind;
  const isCrm = connector?.role === 'crm';
  const url = connectionUrl(connection.id);
  const runColumns: Column<SyncRunDto>[] = [
    { header: 'Started', cell: (r) => <a href={syncRunUrl(connection.id, r.id)}>{r.startedAt ? <DateTime at={r.startedAt} /> : 'not yet'}</a> },
    { header: 'Run', cell: (r) => `${r.mode === 'full' ? 'Full' : 'Changes only'}, ${r.trigger === 'manual' ? 'asked for' : 'scheduled'}` },
    { header: 'State', cell: (r) => <RunStatus status={r.status} /> },
    { header: 'Records', cell: (r) => runProgress(r) },
    { header: 'Created / updated / deleted', cell: (r) => `${formatCount(r.recordsCreated)} / ${formatCount(r.recordsUpdated)} / ${formatCount(r.recordsDeleted)}` },
  ];
  return renderPage(ctx, {
    title: connection.name,
    children: (
      <>
        {data.problem ? <VendorProblem title={data.problem.title} vendor={label} words={data.problem.words} /> : null}
        <dl class="facts">
          <dt>Vendor</dt>
          <dd>{`${label} (${isCrm ? 'CRM' : 'helpdesk'})`}</dd>
          <dt>Status</dt>
          <dd>
            <ConnectionStatus status={connection.status} />
            {connection.statusReason ? <span class="vendor-words">{` ${connection.statusReason}`}</span> : null}
            {connection.pausedUntil ? (
              <>
                {' '}
                until <DateTime at={connection.pausedUntil} />
              </>
            ) : null}
          </dd>
          <dt>Connected</dt>
          <dd>
            <DateTime at={connection.createdAt} />
          </dd>
        </dl>
        <TestResult test={connection.lastTest} vendor={label} />
        <div class="actions">
          <PostForm action={`${url}/test`} class="inline" aria-label="Test the connection">
            <button type="submit">Test now</button>
          </PostForm>
          {connector?.oauth ? (
            <a class="button secondary" href={`${oauthFormUrl(connection.kind)}?connection=${connection.id}`}>
              Sign in again
            </a>
          ) : null}
        </div>
        {isCrm && mapping ? (
          <section aria-labelledby="mapping-heading">
            <h2 id="mapping-heading">Field mapping</h2>
            <p>{`Which ${label} fields nps-bridge reads on each account, and where it writes the NPS fields.`}</p>
            <MappingSummary connection={connection} mapping={mapping} />
          </section>
        ) : null}
        <section aria-labelledby="setup-heading">
          <h2 id="setup-heading">Setup</h2>
          <p>
            {isCrm
              ? `Creates the NPS fields nps-bridge writes in ${label} (those that are missing), readable and editable by the integration user. When the API user may not create them, the result lists each one to create by hand. Safe to run again.`
              : `Creates the webhook and the trigger that tell nps-bridge when a ticket is solved, and the ticket field that receives scores. Safe to run again.`}
          </p>
          <PostForm action={`${url}/setup`} class="inline" aria-label="Run the setup">
            <button type="submit">Run setup</button>
          </PostForm>
        </section>
        {isCrm ? (
          <section aria-labelledby="sync-heading">
            <h2 id="sync-heading">Sync</h2>
            <p>{`nps-bridge reads ${label} every few minutes (changes only). Start one now, or read everything again.`}</p>
            <PostForm action={`${url}/sync`} class="inline" aria-label="Start a sync">
              <button type="submit" name="mode" value="changes">
                Sync changes now
              </button>
              <button type="submit" name="mode" value="full" class="secondary">
                Read everything again
              </button>
            </PostForm>
            <DataTable caption="Latest syncs, newest first" columns={runColumns} rows={runs} rowKey={(r) => r.id} empty={<p>No sync has run yet.</p>} />
          </section>
        ) : null}
        <p>
          <a href={CONNECTIONS_URL}>Back to connections</a>
        </p>
      </>
    ),
  });
}

/** What the setup did in the vendor. */
export function setupResultPage(ctx: PageContext, connection: ConnectionDto, label: string, result: SetupResult): string {
  const url = connectionUrl(connection.id);
  return renderPage(ctx, {
    title: `Setup of ${connection.name}`,
    children: (
      <>
        {result.kind === 'crm' ? (
          <>
            <p role="status">
              {result.fields.manual.length
                ? `${result.fields.manual.length} field(s) must be created by hand in ${label}: the API user may not create them.`
                : `Every NPS field exists in ${label} now.`}
            </p>
            <h2>Created now</h2>
            {result.fields.created.length ? <FieldList names={result.fields.created} /> : <p>None: nothing was missing.</p>}
            <h2>There already</h2>
            {result.fields.existing.length ? <FieldList names={result.fields.existing} /> : <p>None.</p>}
            {result.fields.manual.length ? (
              <>
                <h2>To create by hand</h2>
                <DataTable
                  caption={`Fields to create in ${label}`}
                  columns={[
                    { header: 'Object', cell: (f) => f.object },
                    { header: 'API name', cell: (f) => <code>{f.name}</code> },
                    { header: 'Label', cell: (f) => f.label },
                    { header: 'Type', cell: (f) => `${f.type}${f.options?.length ? `: ${f.options.join(', ')}` : ''}` },
                    { header: `Why`, cell: (f) => <span class="vendor-words">{f.reason}</span> },
                  ]}
                  rows={result.fields.manual}
                  rowKey={(f) => `${f.object}.${f.name}`}
                  empty={null}
                />
              </>
            ) : null}
          </>
        ) : (
          <>
            <p role="status">{`${label} now tells nps-bridge when a ticket is solved.`}</p>
            <dl class="facts">
              <dt>Webhook</dt>
              <dd>
                <code>{result.webhookId}</code> calling <code>{result.webhookUrl}</code>
              </dd>
              <dt>Trigger</dt>
              <dd>
                <code>{result.ruleId}</code>
              </dd>
              <dt>Score field</dt>
              <dd>
                <code>{result.scoreFieldId}</code> {result.scoreFieldCreated ? '(created now)' : '(there already)'}
              </dd>
            </dl>
          </>
        )}
        <p>
          <a class="button" href={url}>{`Back to ${connection.name}`}</a>
        </p>
      </>
    ),
  });
}

function FieldList({ names }: { names: string[] }) {
  return (
    <ul>
      {names.map((n) => (
        <li key={n}>
          <code>{n}</code>
        </li>
      ))}
    </ul>
  );
}
