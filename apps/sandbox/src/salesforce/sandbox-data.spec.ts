import { createSalesforceSandbox } from './salesforce-sandbox';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const DAY = 86_400_000;

describe('sandbox org data', () => {
  const sandbox = createSalesforceSandbox({ accounts: 2000, seed: 7, now: NOW });
  const rows = (object: string) => sandbox.store.rows(object);

  it('has exactly the asked-for accounts, contacts per account and owners', () => {
    expect(sandbox.counts()).toMatchObject({ User: 25, Account: 2000, Contact: 6000 });
    const relations = rows('AccountContactRelation');
    // One direct relation per contact, plus some indirect ones.
    expect(relations.filter((r) => r.IsDirect).length).toBe(6000);
    expect(relations.length).toBeGreaterThan(6000);
  });

  it('is the same org for the same seed and a different one for another seed', () => {
    const again = createSalesforceSandbox({ accounts: 2000, seed: 7, now: NOW });
    const other = createSalesforceSandbox({ accounts: 2000, seed: 8, now: NOW });
    const sample = (s: typeof sandbox) =>
      s.store
        .rows('Account')
        .slice(0, 50)
        .map((r) => [r.Id, r.Name, r.ARR__c, r.SystemModstamp]);
    expect(sample(again)).toEqual(sample(sandbox));
    expect(sample(other)).not.toEqual(sample(sandbox));
  });

  it('spreads ARR across the program bands, with exact 100,000.00 and some unset', () => {
    const arr = rows('Account').map((r) => r.ARR__c as number | null);
    const share = (test: (v: number) => boolean) => arr.filter((v) => v !== null && test(v)).length / arr.length;
    expect(share((v) => v < 10_000)).toBeGreaterThan(0.35);
    expect(share((v) => v === 100_000)).toBeGreaterThan(0.02);
    expect(share((v) => v >= 500_000)).toBeGreaterThan(0.01);
    expect(share((v) => v >= 10_000 && v < 50_000)).toBeGreaterThan(0.15);
    expect(arr.filter((v) => v === null).length).toBeGreaterThan(0);
    expect(arr.some((v) => v !== null && !Number.isInteger(v))).toBe(true);
    expect(new Set(rows('Account').map((r) => r.Tier__c))).toEqual(new Set(['Enterprise', 'Mid-Market', 'SMB', null]));
  });

  it('has activated contracts renewing in 60–90 days, plus expired and draft ones', () => {
    const activated = rows('Contract').filter((c) => c.Status === 'Activated');
    const inWindow = activated.filter((c) => {
      const days = (Date.parse(`${String(c.EndDate)}T00:00:00Z`) - NOW) / DAY;
      return days >= 59 && days <= 91;
    });
    expect(inWindow.length).toBeGreaterThan(100);
    expect(new Set(rows('Contract').map((c) => c.Status))).toEqual(new Set(['Activated', 'Expired', 'Draft']));
  });

  it('gives contacts unique emails and relations single, multiple and no roles', () => {
    const emails = rows('Contact').map((c) => String(c.Email).toLowerCase());
    expect(new Set(emails).size).toBe(emails.length);
    const roles = rows('AccountContactRelation').map((r) => r.Roles as string | null);
    expect(roles.filter((r) => r === null).length).toBeGreaterThan(1000);
    expect(roles.filter((r) => r !== null && !r.includes(';')).length).toBeGreaterThan(1000);
    expect(roles).toContain('Decision Maker;Economic Buyer');
  });

  it('stamps every row in the past, in whole seconds', () => {
    const all = ['User', 'Account', 'Contact', 'AccountContactRelation', 'Contract'].flatMap(rows);
    expect(all.every((r) => r.SystemModstamp < NOW && r.SystemModstamp % 1000 === 0)).toBe(true);
  });
});

describe('sandbox mutations', () => {
  it('touches distinct rows with one SystemModstamp later than everything before', () => {
    const sandbox = createSalesforceSandbox({ accounts: 300, seed: 3 });
    const all = () => ['Account', 'Contact', 'AccountContactRelation'].flatMap((o) => sandbox.store.rows(o));
    const latestBefore = Math.max(...all().map((r) => r.SystemModstamp));
    const arrBefore = new Map(sandbox.store.rows('Account').map((r) => [r.Id, r.ARR__c]));
    const result = sandbox.change({ changeAccounts: 5, deleteAccounts: 3, changeContacts: 4, deleteContacts: 2, changeRoles: 6, deactivateRelations: 2, deleteRelations: 1 });
    const touched = Object.values(result).flat();
    expect(touched).toHaveLength(23);
    expect(new Set(touched).size).toBe(23);
    const stamps = new Set(touched.map((id) => sandbox.store.get(id)!.SystemModstamp));
    expect(stamps.size).toBe(1);
    expect([...stamps][0]).toBeGreaterThan(latestBefore);
    expect(result.changedAccounts.every((id) => sandbox.store.get(id)!.ARR__c !== arrBefore.get(id))).toBe(true);
    expect(result.deactivatedRelations.every((id) => sandbox.store.get(id)!.IsActive === false)).toBe(true);
    expect(sandbox.counts()).toMatchObject({ Account: 297, Contact: 898 });
    const next = sandbox.changeContacts(1);
    expect(sandbox.store.get(next[0])!.SystemModstamp).toBeGreaterThan([...stamps][0]);
  });

  it('refuses to change more rows than qualify', () => {
    const sandbox = createSalesforceSandbox({ accounts: 2 });
    expect(() => sandbox.deleteAccounts(3)).toThrow('Account: asked to change 3 rows but only 2 qualify');
  });

  it('holds 20,000 accounts and 60,000 contacts', () => {
    const big = createSalesforceSandbox({ accounts: 20_000, seed: 11 });
    expect(big.counts()).toMatchObject({ Account: 20_000, Contact: 60_000, User: 25 });
  });
});
