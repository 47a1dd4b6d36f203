import { join } from 'node:path';
import { loadConfig, register } from 'tsconfig-paths';

/**
 * Jest's globalSetup and globalTeardown run outside its module mapper, so the path aliases
 * (`@libs/...`, `@connectors/...`, `@apps/...`) are resolved here from tsconfig.json's paths.
 */
const config = loadConfig(join(__dirname, '..', '..'));
if (config.resultType === 'success') register({ baseUrl: config.absoluteBaseUrl, paths: config.paths });
