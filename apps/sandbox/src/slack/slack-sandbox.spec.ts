import { listenSandbox, ListeningSandbox } from '../kit/sandbox';
import { SLACK_SANDBOX_TOKEN, SlackSandbox } from './slack-sandbox';

describe('the Slack incoming-webhook sandbox answers like Slack', () => {
  let slack: SlackSandbox;
  let served: ListeningSandbox;
  beforeAll(async () => {
    slack = new SlackSandbox();
    served = await listenSandbox(slack);
  });
  afterAll(() => served.close());

  const post = async (path: string, body: string, contentType = 'application/json') => {
    const res = await fetch(served.url + path, { method: 'POST', headers: { 'Content-Type': contentType }, body });
    return [res.status, await res.text()];
  };
  const hook = `/sandbox/slack/webhook/${SLACK_SANDBOX_TOKEN}`;

  it('keeps a message with text and answers 200 "ok", as JSON or as a form payload', async () => {
    expect(await post(hook, JSON.stringify({ text: 'NPS alert: hello' }))).toEqual([200, 'ok']);
    expect(await post(`/webhook/${SLACK_SANDBOX_TOKEN}`, `payload=${encodeURIComponent('{"text":"second"}')}`, 'application/x-www-form-urlencoded')).toEqual([200, 'ok']);
    expect(slack.messages().map((m) => [m.token, m.text])).toEqual([
      [SLACK_SANDBOX_TOKEN, 'NPS alert: hello'],
      [SLACK_SANDBOX_TOKEN, 'second'],
    ]);
    const listed = (await (await fetch(`${served.url}/sandbox/slack`)).json()) as { messages: Array<{ text: string }> };
    expect(listed.messages.map((m) => m.text)).toEqual(['NPS alert: hello', 'second']);
  });

  it('refuses what Slack refuses, keeping nothing', async () => {
    const before = slack.messages().length;
    expect(await post(hook, '{"text": ')).toEqual([400, 'invalid_payload']);
    expect(await post(hook, '["text"]')).toEqual([400, 'invalid_payload']);
    expect(await post(hook, JSON.stringify({ blocks: [] }))).toEqual([400, 'no_text']);
    expect(await post('/sandbox/slack/webhook/T-revoked', JSON.stringify({ text: 'x' }))).toEqual([404, 'no_service']);
    slack.outage(true);
    expect(await post(hook, JSON.stringify({ text: 'x' }))).toEqual([500, 'rollup_error']);
    slack.outage(false);
    expect(slack.messages()).toHaveLength(before);
  });
});
