import type { CrmFieldInfo } from '@connectors/core/src';
import type { ConnectionDto } from '@libs/app/src/connections/connection.dto';
import { FieldMappingModel, readOptions, ReadMapping, writeOptions, WriteMapping } from '@libs/app/src/connections/field-mapping';
import { ErrorSummary, FieldErrors, PostForm, SelectField } from '../components';
import { PageContext } from '../page-context';
import { renderPage } from '../render';
import { connectionUrl, humanize } from './connection-parts';
import { Choice } from './form-fields';

/** The CRM's real fields of both objects, as ConnectionsService.fields answered them. */
export interface CrmFields {
  account: CrmFieldInfo[];
  contact: CrmFieldInfo[];
}

export const readInput = (read: ReadMapping) => `read.${read.key}`;
export const writeInput = (write: WriteMapping) => `write.${write.field}`;

const fieldChoice = (f: CrmFieldInfo): Choice => ({ value: f.name, label: `${f.label} (${f.name}), ${f.type}` });

/** What a read may be set to: a real account field, or nothing where the API allows it. */
export function readChoices(read: ReadMapping, fields: CrmFields, vendor: string): Choice[] {
  const choices = readOptions(fields.account).map(fieldChoice);
  if (read.current && !choices.some((c) => c.value === read.current)) choices.unshift({ value: read.current, label: `${read.current} (not found in ${vendor})` });
  if (read.nullable) choices.unshift({ value: '', label: 'Not mapped' });
  return choices;
}

/** Where a written NPS field may go: a real field of a type its values fit, or its default name (the setup creates it). */
export function writeChoices(write: WriteMapping, fields: CrmFields): Choice[] {
  const all = fields[write.object];
  const choices = writeOptions(write, all).map(fieldChoice);
  if (!choices.some((c) => c.value === write.defaultName)) {
    const existing = all.find((f) => f.name === write.defaultName);
    choices.unshift(existing ? fieldChoice(existing) : { value: write.defaultName, label: `${write.defaultName} (default name: the setup creates it)` });
  }
  if (!choices.some((c) => c.value === write.current)) choices.push({ value: write.current, label: `${write.current} (missing: the setup creates it)` });
  return choices;
}

export interface MappingForm {
  values?: Record<string, string>;
  errors?: FieldErrors;
}

/** The field mapping of a CRM connection, chosen from the CRM's own list of fields. */
export function fieldMappingPage(ctx: PageContext, connection: ConnectionDto, vendor: string, model: FieldMappingModel, fields: CrmFields, form: MappingForm = {}): string {
  const errors = form.errors ?? {};
  const labels: Record<string, string> = {};
  for (const r of model.reads) labels[readInput(r)] = humanize(r.key);
  for (const w of model.writes) labels[writeInput(w)] = `${w.label} (${w.object})`;
  const url = `${connectionUrl(connection.id)}/fields`;
  const writesOn = (object: 'account' | 'contact') => model.writes.filter((w) => w.object === object);
  return renderPage(ctx, {
    title: `Field mapping of ${connection.name}`,
    children: (
      <>
        <p>{`The lists are ${vendor}'s own fields that the integration user can read, as ${vendor} describes them now.`}</p>
        <ErrorSummary errors={errors} labels={labels} />
        <PostForm action={url} aria-label="Field mapping">
          <fieldset>
            <legend>What nps-bridge reads on each account</legend>
            {model.reads.map((r) =>
              r.choosable ? (
                <SelectField
                  key={r.key}
                  name={readInput(r)}
                  label={humanize(r.key)}
                  options={readChoices(r, fields, vendor)}
                  value={form.values?.[readInput(r)] ?? r.current ?? ''}
                  error={errors[readInput(r)]}
                />
              ) : (
                <div class="field" key={r.key}>
                  <p>
                    <strong>{humanize(r.key)}</strong>: {r.shown}
                  </p>
                  <p class="hint">
                    Changed through the API: <code>{`PATCH /api/connections/${connection.id}`}</code>.
                  </p>
                </div>
              ),
            )}
          </fieldset>
          {(['account', 'contact'] as const).map((object) => (
            <fieldset key={object}>
              <legend>{`What nps-bridge writes on each ${object}`}</legend>
              {writesOn(object).map((w) => (
                <SelectField
                  key={w.field}
                  name={writeInput(w)}
                  label={w.label}
                  hint={w.description}
                  options={writeChoices(w, fields)}
                  value={form.values?.[writeInput(w)] ?? w.current}
                  error={errors[writeInput(w)]}
                />
              ))}
            </fieldset>
          ))}
          <div class="actions">
            <button type="submit">Save and test</button>
            <a href={connectionUrl(connection.id)}>Cancel</a>
          </div>
        </PostForm>
      </>
    ),
  });
}
