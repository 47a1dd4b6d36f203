import { createSalesforceSandbox } from './salesforce-sandbox';
import { restoreSalesforceSandbox, salesforceSandboxState } from './sandbox-state';

describe('Salesforce sandbox state across a restart', () => {
  it('restores every row (deleted ones too) and the custom fields with their access, instead of generating an org', () => {
    const before = createSalesforceSandbox({ accounts: 8, seed: 3, npsFields: true });
    before.change({ changeAccounts: 2, deleteContacts: 1 });
    const [account] = before.store.rows('Account');
    Object.assign(account, { NPS_Relational__c: 40 });
    const saved = JSON.parse(JSON.stringify(salesforceSandboxState(before)));

    const after = restoreSalesforceSandbox(saved, { seed: 99, accounts: 50 });
    expect(after.counts()).toEqual(before.counts());
    for (const object of ['User', 'Account', 'Contact', 'AccountContactRelation', 'Contract']) {
      expect(after.store.rows(object)).toEqual(before.store.rows(object));
    }
    expect(after.record('Account', account.Id)).toMatchObject({ NPS_Relational__c: 40 });
    expect(after.customFields('Account')).toEqual(before.customFields('Account'));
    // Changes after the restart land after every saved one.
    const latest = Math.max(...before.store.rows('Account').map((r) => r.SystemModstamp));
    const [changed] = after.changeAccounts(1);
    expect(after.store.get(changed)!.SystemModstamp).toBeGreaterThan(latest);
  });
});
