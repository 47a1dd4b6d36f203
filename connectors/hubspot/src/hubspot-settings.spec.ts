import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { CrmConnectorFactory } from '@connectors/core/src';
import { HubSpotCredentials } from './hubspot-credentials';
import { HubSpotSettings, withDefaults } from './hubspot-settings';
import { hubspotConnector } from './index';

/** Every constraint message, nested ones included. */
function messages(errors: ValidationError[]): string[] {
  return errors.flatMap((e) => [...Object.values(e.constraints ?? {}), ...messages(e.children ?? [])]);
}
const check = <T extends object>(cls: new () => T, plain: object) => messages(validateSync(plainToInstance(cls, plain)));

describe('HubSpot settings and credentials', () => {
  it('fills every default: custom arr property, no currency or usage, 190/10 s and 4 searches/s', () => {
    expect(withDefaults(undefined)).toEqual({
      fieldMapping: { arr: 'arr', arrCurrency: null, renewalDate: 'renewal_date', tier: 'tier', customerSince: 'customer_since', usage: null },
      rateLimit: { requestsPer10s: 190, searchPerSecond: 4 },
    });
    expect(check(HubSpotSettings, withDefaults(undefined))).toEqual([]);
  });

  it('keeps what the admin set, an explicit null unmapping a field', () => {
    const settings = withDefaults({ fieldMapping: { arr: 'acv', tier: null }, rateLimit: { requestsPer10s: 100 } });
    expect(settings.fieldMapping).toMatchObject({ arr: 'acv', tier: null, renewalDate: 'renewal_date' });
    expect(settings.rateLimit).toEqual({ requestsPer10s: 100, searchPerSecond: 4 });
  });

  it('names the field in every settings error', () => {
    const bad = { fieldMapping: { ...withDefaults(undefined).fieldMapping, arr: 'ARR Amount' }, rateLimit: { requestsPer10s: 500, searchPerSecond: 0 } };
    expect(check(HubSpotSettings, bad)).toEqual([
      'fieldMapping.arr must be a HubSpot property internal name (lowercase letters, digits, _)',
      'rateLimit.requestsPer10s must be at most 250',
      'rateLimit.searchPerSecond must be at least 1',
    ]);
  });

  it('asks a private app for its token and an OAuth app for client and refresh token', () => {
    expect(check(HubSpotCredentials, { authType: 'private_app', accessToken: 'pat-na1-x' })).toEqual([]);
    expect(check(HubSpotCredentials, { authType: 'private_app' })).toEqual(['accessToken should not be empty', 'accessToken must be a string']);
    expect(check(HubSpotCredentials, { authType: 'oauth', clientId: 'c', clientSecret: 's', refreshToken: 'r' })).toEqual([]);
    expect(check(HubSpotCredentials, { authType: 'oauth', clientId: 'c' }).sort()).toEqual(
      ['clientSecret must be a string', 'clientSecret should not be empty', 'refreshToken must be a string', 'refreshToken should not be empty'].sort(),
    );
    expect(check(HubSpotCredentials, { authType: 'basic' })).toEqual(['authType must be private_app or oauth']);
    expect(check(HubSpotCredentials, { authType: 'oauth', clientId: 'c', clientSecret: 's', refreshToken: 'r', expiresAt: 'soon', baseUrl: 'ftp://x' })).toEqual([
      'expiresAt must be an ISO 8601 instant',
      'baseUrl must be an http(s) URL',
    ]);
    expect(check(HubSpotCredentials, { authType: 'private_app', accessToken: 't', baseUrl: 'http://127.0.0.1:4010/hubspot' })).toEqual([]);
  });

  it('is a CRM connector factory the registry can hold', () => {
    // C and S are checked invariantly (onCredentialsRefreshed takes C), so the registry's
    // Record<string, CrmConnectorFactory> needs the any-typed view.
    const factory: CrmConnectorFactory<any, any> = hubspotConnector;
    const registry: Record<string, CrmConnectorFactory> = { hubspot: factory };
    expect(registry.hubspot.create).toBe(hubspotConnector.create);
    expect(factory).toMatchObject({ kind: 'hubspot', label: 'HubSpot', role: 'crm', credentialsClass: HubSpotCredentials, settingsClass: HubSpotSettings });
  });
});
