import type { ProgramDto } from '@libs/app/src/program/program.dto';
import { Badge, PostForm } from '../components';
import { formatCount } from '../format';
import { PageContext } from '../page-context';
import { renderPage } from '../render';
import { PLAN_PREVIEW_URL, PROGRAM_LIVE_URL, PROGRAM_SECTION, PROGRAM_SETTINGS_URL } from './program-nav';
import { summaryLabel, WEEKDAYS } from './setting-catalogue';

const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** "Monday to Friday", "Monday, Wednesday and Friday". */
function dayList(days: readonly string[]): string {
  const known = WEEKDAYS.filter((day) => days.some((d) => d.trim().toLowerCase() === day));
  const names = known.map(capitalised);
  const consecutive = known.length > 2 && known.every((day, i) => i === 0 || WEEKDAYS.indexOf(day) === WEEKDAYS.indexOf(known[i - 1]) + 1);
  if (consecutive) return `${names[0]} to ${names[names.length - 1]}`;
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : (names[0] ?? 'no day');
}

/** What is still missing, by name; the settings page links each to its field. */
function MissingList({ missing }: { missing: readonly string[] }) {
  return (
    <>
      <ul>
        {missing.map((item) => (
          <li key={item}>{summaryLabel(item)}</li>
        ))}
      </ul>
      <p>
        <a href={PROGRAM_SETTINGS_URL}>Set them on the settings page</a>
      </p>
    </>
  );
}

function LiveSwitch({ program }: { program: ProgramDto }) {
  if (program.live) {
    return (
      <PostForm action={PROGRAM_LIVE_URL} class="actions" aria-label="Pause sending">
        <input type="hidden" name="live" value="false" />
        <button type="submit" class="secondary">
          Pause sending
        </button>
        <span class="muted">Scheduled surveys wait until the program is live again.</span>
      </PostForm>
    );
  }
  return (
    <PostForm action={PROGRAM_LIVE_URL} class="actions" aria-label="Go live">
      <input type="hidden" name="live" value="true" />
      <button type="submit">Go live</button>
      <span class="muted">{program.missing.length ? 'Going live is refused until everything above is set.' : 'Survey emails start going out inside the send window.'}</span>
    </PostForm>
  );
}

/**
 * /console/program: whether the program is live, what it still needs to go live (each item links
 * to its field), the live switch, and the settings that decide when emails go out.
 */
export function programPage(ctx: PageContext, program: ProgramDto, refused?: readonly string[]): string {
  const rules = program.rules as {
    sendDays: string[];
    sendWindowStart: string;
    sendWindowEnd: string;
    timeZone: string;
    dailySendCap: number;
    suppressionWindowDays: number;
    enterpriseEscalation: boolean;
    leadershipOwnerId: string | null;
  };
  const unset = <span class="muted">not set</span>;
  return renderPage(ctx, {
    title: 'Program',
    section: PROGRAM_SECTION,
    children: (
      <>
        {refused ? (
          <div class="error-summary" role="alert" aria-labelledby="live-refused-title">
            <h2 id="live-refused-title">The program cannot go live yet</h2>
            <p>Set these first:</p>
            <MissingList missing={refused} />
          </div>
        ) : null}
        <p class="program-state">
          {program.live ? <Badge tone="good">Live</Badge> : <Badge tone="waiting">Draft</Badge>}{' '}
          {program.live ? 'Surveys go out inside the send window.' : 'The program plans and previews who it would survey, but sends nothing until it goes live.'}
        </p>
        {!program.live && program.missing.length ? (
          <>
            <h2>Before it can go live</h2>
            <p>These still need to be set:</p>
            <MissingList missing={program.missing} />
          </>
        ) : null}
        {!program.live && !program.missing.length ? <p>Everything it needs is set: it can go live.</p> : null}
        <LiveSwitch program={program} />
        <h2>At a glance</h2>
        <dl class="facts stack-on-phone">
          <dt>Company</dt>
          <dd>{program.profile.companyName ?? unset}</dd>
          <dt>Product</dt>
          <dd>{program.profile.productName ?? unset}</dd>
          <dt>Sender</dt>
          <dd>
            {program.profile.senderName || program.profile.senderEmail ? `${program.profile.senderName ?? ''} <${program.profile.senderEmail ?? 'no address'}>`.trim() : unset}
          </dd>
          <dt>Send window</dt>
          <dd>{`${dayList(rules.sendDays)}, ${rules.sendWindowStart}–${rules.sendWindowEnd} (${rules.timeZone})`}</dd>
          <dt>Daily send cap</dt>
          <dd>{`${formatCount(rules.dailySendCap)} emails`}</dd>
          <dt>Suppression window</dt>
          <dd>{`${formatCount(rules.suppressionWindowDays)} days`}</dd>
          <dt>Enterprise escalation</dt>
          <dd>{rules.enterpriseEscalation ? `on, to ${rules.leadershipOwnerId ?? '(no leadership owner yet)'}` : 'off'}</dd>
          <dt>Alerts</dt>
          <dd>
            {program.alertEmails.length ? `by email to ${program.alertEmails.join(', ')}` : 'no email recipients'}
            {program.slackWebhookUrl ? '; posted to a webhook' : ''}
          </dd>
        </dl>
        <ul class="link-list">
          <li>
            <a href={PROGRAM_SETTINGS_URL}>Change the settings</a>: every rule of the program, with what it means.
          </li>
          <li>
            <a href={PLAN_PREVIEW_URL}>Preview the plan</a>: who will be surveyed on which day and why, and who is skipped and why.
          </li>
        </ul>
      </>
    ),
  });
}
