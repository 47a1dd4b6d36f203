import { HttpException } from '@nestjs/common';
import type { ComponentChildren } from 'preact';
import { VendorError } from '@connectors/core/src';
import type { ConnectionLastTestDto } from '@libs/app/src/connections/connection-results.dto';
import type { SyncRunDto } from '@libs/app/src/connections/connection.dto';
import { connectorChoices, ConnectorChoice } from '@libs/app/src/connections/connector-forms';
import { Badge, DateTime, FieldErrors } from '../components';
import { formatCount, formatPercent } from '../format';

export const CONNECTIONS_URL = '/console/connections';
export const CONNECT_URL = '/console/connections/new';
/** Where the vendor's consent page sends the browser back (through /oauth/callback/<kind>). */
export const OAUTH_RESULT_URL = '/console/connections/connected';

export const connectionUrl = (id: string) => `${CONNECTIONS_URL}/${id}`;
export const syncRunUrl = (id: string, runId: string) => `${CONNECTIONS_URL}/${id}/sync-runs/${runId}`;

/** The installed connector of `kind`, or undefined. */
export function connectorOf(kind: string): ConnectorChoice | undefined {
  return connectorChoices().find((c) => c.kind === kind);
}

/** The vendor's product name of a connection kind (the kind itself if the connector is gone). */
export const vendorLabel = (kind: string) => connectorOf(kind)?.label ?? kind;

const ACRONYMS: Record<string, string> = { arr: 'ARR', api: 'API', id: 'ID', jwt: 'JWT', url: 'URL', oauth: 'OAuth', nps: 'NPS', pem: 'PEM' };

/** A property or value name as people read it: `myDomainUrl` → "My domain URL", `client_credentials` → "Client credentials". */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean)
    .map((w) => ACRONYMS[w.toLowerCase()] ?? w.toLowerCase());
  const text = words.join(' ') || name;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

type Tone = 'good' | 'bad' | 'waiting' | 'neutral';

const STATUS: Record<string, { tone: Tone; word: string }> = {
  pending: { tone: 'waiting', word: 'not checked yet' },
  active: { tone: 'good', word: 'working' },
  paused: { tone: 'waiting', word: 'paused' },
  auth_failed: { tone: 'bad', word: 'sign-in refused' },
  error: { tone: 'bad', word: 'error' },
  disabled: { tone: 'neutral', word: 'disabled' },
};

export function ConnectionStatus({ status }: { status: string }) {
  const known = STATUS[status] ?? { tone: 'neutral' as const, word: status };
  return <Badge tone={known.tone}>{known.word}</Badge>;
}

const RUN: Record<string, { tone: Tone; word: string }> = {
  queued: { tone: 'waiting', word: 'waiting to start' },
  running: { tone: 'waiting', word: 'running' },
  succeeded: { tone: 'good', word: 'finished' },
  failed: { tone: 'bad', word: 'failed' },
  paused: { tone: 'waiting', word: 'paused' },
  interrupted: { tone: 'neutral', word: 'interrupted' },
};

export function RunStatus({ status }: { status: string }) {
  const known = RUN[status] ?? { tone: 'neutral' as const, word: status };
  return <Badge tone={known.tone}>{known.word}</Badge>;
}

/** Whether a run is still going: its page keeps refreshing. */
export const runIsActive = (run: SyncRunDto) => run.status === 'queued' || run.status === 'running';

/** "1,200 of 1,500 records read (80 %)", or "1,200 records read". */
export function runProgress(run: SyncRunDto): string {
  const read = formatCount(run.recordsRead);
  if (run.recordsTotal && run.status !== 'succeeded')
    return `${read} of ${formatCount(run.recordsTotal)} records read (${formatPercent(Math.min(1, run.recordsRead / run.recordsTotal))})`;
  return `${read} records read`;
}

/** A connection's latest run in a line: its state, when, and how far it got. */
export function RunLine({ connectionId, run }: { connectionId: string; run: SyncRunDto | undefined }) {
  if (!run) return <span class="muted">No sync yet</span>;
  return (
    <>
      <a href={syncRunUrl(connectionId, run.id)}>
        <RunStatus status={run.status} />
      </a>{' '}
      <DateTime at={run.finishedAt ?? run.startedAt} /> <span>{runProgress(run)}</span>
    </>
  );
}

/** The latest connection test in a few words, for a table cell. */
export function TestLine({ test }: { test: ConnectionLastTestDto | null }) {
  if (!test) return <span class="muted">Not tested yet</span>;
  const tone: Tone = test.ok ? 'good' : 'bad';
  const word = test.ok ? 'passed' : test.authenticated ? `${test.missingFields.length} field(s) missing` : 'refused';
  return (
    <>
      <Badge tone={tone}>{word}</Badge> <DateTime at={test.testedAt} />
      {test.message ? <span class="vendor-words">{` ${test.message}`}</span> : null}
    </>
  );
}

/** The latest connection test in full: what the vendor said, and each mapped field it could not find. */
export function TestResult({ test, vendor, headingLevel = 2 }: { test: ConnectionLastTestDto | null; vendor: string; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  if (!test) {
    return (
      <section aria-labelledby="test-heading">
        <Heading id="test-heading">Connection test</Heading>
        <p>Not tested yet: the test signs in to {vendor} and checks that every mapped field can be read.</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="test-heading">
      <Heading id="test-heading">Connection test</Heading>
      <p>
        <TestLine test={{ ...test, message: null }} />
      </p>
      {test.ok ? <p>{vendor} accepted the credentials, and every mapped field can be read.</p> : null}
      {!test.authenticated ? <p>{vendor} refused the credentials. Sign in again, or give new credentials.</p> : null}
      {test.message ? (
        <>
          <p>{vendor} said:</p>
          <p class="vendor-words">{test.message}</p>
        </>
      ) : null}
      {test.missingFields.length ? (
        <>
          <p>{`${vendor} has no field the integration user can read for these settings: map them to real fields, or create the fields.`}</p>
          <ul>
            {test.missingFields.map((f) => (
              <li key={`${f.object}.${f.field}`}>
                <code>{`${f.object}.${f.field}`}</code> {`(setting ${f.setting})`}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

/** A box saying what went wrong with the vendor, in its words. */
export function VendorProblem({ title, vendor, words }: { title: string; vendor: string; words: ComponentChildren }) {
  return (
    <div class="error-summary" role="alert" aria-labelledby="vendor-problem">
      <h2 id="vendor-problem">{title}</h2>
      <p>{vendor} said:</p>
      <p class="vendor-words">{words}</p>
    </div>
  );
}

/** The HTTP status a page answers a vendor's refusal with (as the API does: 424, 429, 502, 504). */
export function vendorStatus(error: VendorError): number {
  if (error.kind === 'rate_limited') return 429;
  if (error.kind === 'unavailable') return error.details.code === 'ETIMEDOUT' || error.details.code === 'ESOCKETTIMEDOUT' ? 504 : 502;
  return 424;
}

/** The messages of a 4xx the services threw ("field: what is wrong"). */
export function messagesOf(error: HttpException): string[] {
  const body = error.getResponse();
  const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.map(String);
  return typeof message === 'string' && message ? [message] : [error.message];
}

/**
 * Messages naming a field ("credentials.clientId: clientId must not be blank") as problems per
 * form field, worded to follow the field's label ("must not be blank"); messages about fields the
 * form does not have go under `form`.
 */
export function problemsByField(messages: string[], fields: readonly string[]): FieldErrors {
  const problems: FieldErrors = {};
  const add = (key: string, problem: string) => (problems[key] = problems[key] ? `${problems[key]}; ${problem}` : problem);
  for (const message of messages) {
    const prefixed = /^([A-Za-z0-9_.]+): (.*)$/s.exec(message);
    const plain = /^([A-Za-z0-9_]+) (must|should|is|has) (.*)$/s.exec(message);
    const path = prefixed?.[1] ?? plain?.[1];
    let problem = prefixed ? prefixed[2] : plain ? `${plain[2]} ${plain[3]}` : message;
    const field = path ? (fields.find((f) => f === path) ?? fields.find((f) => f.endsWith(`.${path}`))) : undefined;
    if (!field) {
      add('form', message);
      continue;
    }
    const last = field.slice(field.lastIndexOf('.') + 1);
    if (problem.startsWith(`${last} `)) problem = problem.slice(last.length + 1);
    add(field, problem);
  }
  return problems;
}
