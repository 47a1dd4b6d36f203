export { createHubSpotSandbox, HubSpotSandbox, SANDBOX_PRIVATE_APP_TOKEN } from './hubspot-sandbox';
