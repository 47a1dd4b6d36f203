export { SLACK_SANDBOX_TOKEN, SlackSandbox } from './slack-sandbox';
export type { SlackMessage } from './slack-sandbox';
