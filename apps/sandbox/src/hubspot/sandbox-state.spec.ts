import { createHubSpotSandbox } from './hubspot-sandbox';
import { hubspotSandboxState, restoreHubSpotSandbox } from './sandbox-state';

const taskFor = (companyId: string, subject: string) => ({
  inputs: [
    {
      properties: { hs_timestamp: '2026-12-01T09:00:00Z', hs_task_subject: subject, hs_task_status: 'NOT_STARTED' },
      associations: [{ to: { id: companyId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 192 }] }],
    },
  ],
});

describe('HubSpot sandbox state across a restart', () => {
  it('restores records, associations, nps_bridge values, property definitions and tasks; new task ids continue after the saved ones', () => {
    const before = createHubSpotSandbox({ companies: 6, seed: 3, npsFields: true });
    const company = before.portal.companies[0];
    before.portal.custom.companies.set(company.id, { nps_relational: '40' });
    before.archiveContacts(1);
    expect(before.taskStore.create(taskFor(company.id, 'Call the detractor')).status).toBe(201);
    const saved = JSON.parse(JSON.stringify(hubspotSandboxState(before)));

    const after = restoreHubSpotSandbox(saved, { companies: 6, seed: 99 });
    expect(after.counts()).toEqual(before.counts());
    expect(after.companyProperties(company.id)).toEqual(before.companyProperties(company.id));
    expect(after.companyProperties(company.id)!.nps_relational).toBe('40');
    expect(after.schema.properties('contacts')).toEqual(before.schema.properties('contacts'));
    expect(after.tasks()).toEqual(before.tasks());
    // ARR history (the activity axis) survives too: the same propertiesWithHistory as before.
    const withHistory = before.portal.companies.find((c) => (before.portal.history.companies.get(c.id)?.arr ?? []).length > 0)!;
    expect(withHistory).toBeDefined();
    expect(after.portal.history.companies.get(withHistory.id)).toEqual(before.portal.history.companies.get(withHistory.id));

    expect(after.taskStore.create(taskFor(company.id, 'Second call')).status).toBe(201);
    const ids = after.tasks().map((t) => Number(t.id));
    expect(ids[1]).toBeGreaterThan(ids[0]);
    expect(after.completeTask(before.tasks()[0].id).status).toBe('COMPLETED');
  });
});
