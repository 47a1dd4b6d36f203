import { CrmWriteError, CrmWriteResult, messageOf, OUTCOME_UNKNOWN, UncertainWrite, VendorError } from '@connectors/core/src';
import { hubspotDescriptor } from '../descriptor';

/** The outcome codes this module adds to HubSpot's own. */
const WRITE_ERROR = {
  /** A 5xx, dropped connection or deadline on a create: HubSpot may have created the tasks; not resent. */
  outcomeUnknown: OUTCOME_UNKNOWN,
  /** An earlier batch failed in a way later ones would too (daily limit, outage, auth): not sent. */
  notSent: 'NOT_SENT',
  /** HubSpot's answer named neither a result nor an error for this record. */
  missingResult: 'MISSING_RESULT',
} as const;

/** What a batch endpoint answers (201/200, or 207 with `errors`). */
interface BatchAnswer {
  results?: Array<{ id: string | number; objectWriteTraceId?: string }>;
  errors?: Array<{ message?: string; category?: string; context?: Record<string, string[] | undefined> }>;
}

/** One record to write: the key its result comes back under, and what HubSpot gets. */
export interface BatchItem<I> {
  key: string;
  input: I;
}

export interface BatchWrite<I> {
  send(inputs: I[]): Promise<BatchAnswer>;
  /** Creates are not idempotent: sent with `repeatable: false`, a failure that may have written them is an UncertainWrite (OUTCOME_UNKNOWN). */
  create: boolean;
  /** Results are matched by the echoed objectWriteTraceId (= key), else by record id (= key). */
  traced: boolean;
  /** The items a refused (400) batch blames, when its error says clearly; undefined otherwise. */
  culprits?(error: VendorError, items: Array<BatchItem<I>>): Array<BatchItem<I>> | undefined;
}

/** 207 error categories that say "try again later" rather than "this record is wrong". */
const TRANSIENT = new Set(['RATE_LIMITS', 'INTERNAL_ERROR', 'SERVICE_UNAVAILABLE', 'TIMEOUT']);

interface Run {
  results: Map<string, CrmWriteResult>;
  /** Something was written in this call: an auth failure now must not lose the ids already created. */
  written: boolean;
  /** Why the remaining batches are not sent. */
  stop?: CrmWriteError;
}

/**
 * Writes `items` in batches of 100, one call after another; results come back one per item, in
 * item order. One bad record never sinks its neighbours: a batch HubSpot refuses as a whole
 * (400) is sent again without the records its error names, or in halves when it names none, so
 * in the end only the records HubSpot refuses on their own fail (permanently). Any other failure
 * (an outage that outlasted the retries, the daily limit) ends the run: its records and all
 * later ones get the error. An auth failure is thrown while nothing has been written yet;
 * after that it is returned like the rest, so the ids already created are never lost.
 */
export async function writeInBatches<I>(items: Array<BatchItem<I>>, write: BatchWrite<I>): Promise<CrmWriteResult[]> {
  const run: Run = { results: new Map(), written: false };
  const size = hubspotDescriptor.batchSize;
  for (let start = 0; start < items.length; start += size) await deliver(items.slice(start, start + size), write, run);
  return items.map((item) => run.results.get(item.key)!);
}

async function deliver<I>(batch: Array<BatchItem<I>>, write: BatchWrite<I>, run: Run): Promise<void> {
  if (batch.length === 0) return;
  if (run.stop) {
    const notSent = { code: WRITE_ERROR.notSent, message: `not sent: ${run.stop.message}` };
    for (const item of batch) run.results.set(item.key, { key: item.key, error: notSent });
    return;
  }
  let answer: BatchAnswer;
  try {
    answer = await write.send(batch.map((item) => item.input));
  } catch (error) {
    if (!(error instanceof VendorError)) throw error;
    if (error.kind === 'invalid') return refused(batch, error, write, run);
    if (error.kind === 'auth' && !run.written) throw error;
    const failure: CrmWriteError =
      error instanceof UncertainWrite
        ? { code: WRITE_ERROR.outcomeUnknown, message: messageOf(error.failure), outcomeUnknown: true }
        : { code: error.details.code ?? error.kind.toUpperCase(), message: error.message };
    for (const item of batch) run.results.set(item.key, { key: item.key, error: failure });
    run.stop = failure;
    return;
  }
  run.written = true;
  for (const result of matchResults(batch, answer, write)) run.results.set(result.key, result);
}

/** A whole batch refused (400): HubSpot wrote none of it, so the innocent records can go again. */
async function refused<I>(batch: Array<BatchItem<I>>, error: VendorError, write: BatchWrite<I>, run: Run): Promise<void> {
  const failure: CrmWriteError = { code: error.details.code ?? 'VALIDATION_ERROR', message: error.message, permanent: true };
  if (batch.length === 1) {
    run.results.set(batch[0].key, { key: batch[0].key, error: failure });
    return;
  }
  const blamed = write.culprits?.(error, batch);
  if (blamed && blamed.length > 0) {
    const culprits = new Set(blamed);
    for (const item of culprits) run.results.set(item.key, { key: item.key, error: failure });
    return deliver(
      batch.filter((item) => !culprits.has(item)),
      write,
      run,
    );
  }
  const half = Math.ceil(batch.length / 2);
  await deliver(batch.slice(0, half), write, run);
  await deliver(batch.slice(half), write, run);
}

/**
 * Results matched to keys: by the `objectWriteTraceId` HubSpot echoes (creates), by record id
 * (updates), or by position when a create's answer echoes nothing but has one result per input.
 * 207 errors are matched by the trace ids or record ids in their context. A key in neither is
 * MISSING_RESULT, which for a create means "maybe created": look before creating again.
 */
function matchResults<I>(batch: Array<BatchItem<I>>, answer: BatchAnswer, write: BatchWrite<I>): CrmWriteResult[] {
  const keys = batch.map((item) => item.key);
  const results = answer.results ?? [];
  const byKey = new Map<string, CrmWriteResult>();
  const success = (key: string, id: string | number) => byKey.set(key, { key, externalId: String(id) });
  if (!write.traced) results.forEach((r) => success(String(r.id), r.id));
  else if (results.length > 0 && results.every((r) => r.objectWriteTraceId !== undefined)) results.forEach((r) => success(r.objectWriteTraceId!, r.id));
  else if (results.length === keys.length && !answer.errors?.length) results.forEach((r, i) => success(keys[i], r.id));
  for (const error of answer.errors ?? []) {
    const named = [...(error.context?.objectWriteTraceId ?? []), ...(error.context?.ids ?? []), ...(error.context?.id ?? [])];
    const category = error.category ?? 'VALIDATION_ERROR';
    const failure: CrmWriteError = { code: category, message: error.message ?? 'record not written', permanent: !TRANSIENT.has(category) };
    for (const key of named) if (!byKey.has(key)) byKey.set(key, { key, error: failure });
  }
  const missing: CrmWriteError = {
    code: WRITE_ERROR.missingResult,
    message: 'HubSpot answered without a result for this record',
    ...(write.create ? { outcomeUnknown: true } : {}),
  };
  return keys.map((key) => byKey.get(key) ?? { key, error: missing });
}
