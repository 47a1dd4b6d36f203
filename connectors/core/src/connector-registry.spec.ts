import { ConnectorRegistry, useFromNow } from './connector-registry';

class CountingConnector {
  calls = 0;
  async read(): Promise<string> {
    this.calls++;
    return 'page';
  }
  apiCalls(): number {
    return this.calls;
  }
}

const row = { id: 'c1', kind: 'crm', settings: { pageSize: 100 }, credentialsEncrypted: 'v1.secret' };

describe('ConnectorRegistry', () => {
  it('returns the same connector while credentials and settings are unchanged, and a new one when either changes', () => {
    const registry = new ConnectorRegistry<CountingConnector>();
    const build = jest.fn(() => new CountingConnector());
    const first = registry.get(row, build);
    expect(registry.get({ ...row, settings: { pageSize: 100 } }, build)).toBe(first);
    const resettled = registry.get({ ...row, settings: { pageSize: 50 } }, build);
    expect(resettled).not.toBe(first);
    const rekeyed = registry.get({ ...row, settings: { pageSize: 50 }, credentialsEncrypted: 'v1.refreshed' }, build);
    expect(rekeyed).not.toBe(resettled);
    expect(registry.get({ ...row, id: 'c2' }, build)).not.toBe(rekeyed);
    expect(build).toHaveBeenCalledTimes(4);
  });
});

describe('useFromNow', () => {
  it('counts the calls of this use only, and works on the shared connector', async () => {
    const shared = new CountingConnector();
    await shared.read();
    const use = useFromNow(shared);
    expect(use.apiCalls()).toBe(0);
    expect(await use.read()).toBe('page');
    expect(use.apiCalls()).toBe(1);
    expect(shared.apiCalls()).toBe(2);
  });
});
