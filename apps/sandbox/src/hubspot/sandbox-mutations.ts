import { recordHistory } from './sandbox-history';
import { SANDBOX_LABELS, SandboxCompany, SandboxContact, SandboxPortal, TIERS } from './sandbox-data';

/** What changed, so tests can compare a read with the truth. */
export interface RelabeledAssociation {
  companyId: string;
  contactId: string;
  labels: string[];
}

/** n distinct live records, chosen by the portal's seeded random source. */
function pickLive<T extends { archivedMs: number | null }>(portal: SandboxPortal, all: T[], n: number): T[] {
  const live = all.filter((r) => r.archivedMs === null);
  const count = Math.min(n, live.length);
  for (let i = 0; i < count; i++) {
    const j = i + portal.pick(live.length - i);
    [live[i], live[j]] = [live[j], live[i]];
  }
  return live.slice(0, count);
}

/** Edits n companies (ARR, tier or renewal date); each gets a modification time after all others. */
export function changeCompanies(portal: SandboxPortal, n: number): string[] {
  return pickLive(portal, portal.companies, n).map((company: SandboxCompany) => {
    const what = portal.pick(3);
    if (what === 0) company.arr = String(1_000 + portal.pick(900_000));
    else if (what === 1) company.tier = TIERS[portal.pick(TIERS.length)];
    else company.renewalDate = new Date(Date.now() + (30 + portal.pick(400)) * 86_400_000).toISOString().slice(0, 10);
    company.modifiedMs = portal.touch();
    if (what === 0) recordHistory(portal, 'companies', company.id, 'arr', company.arr!, company.modifiedMs, 'CRM_UI');
    return company.id;
  });
}

/** Edits n contacts' first names. */
export function changeContacts(portal: SandboxPortal, n: number): string[] {
  return pickLive(portal, portal.contacts, n).map((contact: SandboxContact) => {
    contact.firstName = `${contact.firstName.replace(/ \(\d+\)$/, '')} (${portal.pick(100)})`;
    contact.modifiedMs = portal.touch();
    return contact.id;
  });
}

/**
 * Gives n live associations a different set of labels (possibly none). HubSpot records the
 * change on the contact, so its modification time moves too.
 */
export function relabelAssociations(portal: SandboxPortal, n: number): RelabeledAssociation[] {
  const links = portal.liveLinks();
  const count = Math.min(n, links.length);
  const changed: RelabeledAssociation[] = [];
  for (let i = 0; i < count; i++) {
    const j = i + portal.pick(links.length - i);
    [links[i], links[j]] = [links[j], links[i]];
    const link = links[i];
    const before = link.labels.join('|');
    let labels: string[];
    do {
      labels = SANDBOX_LABELS.filter(() => portal.pick(3) === 0).map((l) => l.label);
    } while (labels.join('|') === before);
    link.labels = labels;
    portal.contactById.get(link.contactId)!.modifiedMs = portal.touch();
    changed.push({ companyId: link.companyId, contactId: link.contactId, labels });
  }
  return changed;
}

export function archiveCompanies(portal: SandboxPortal, n: number): string[] {
  return pickLive(portal, portal.companies, n).map((company) => ((company.archivedMs = portal.touch()), company.id));
}

export function archiveContacts(portal: SandboxPortal, n: number): string[] {
  return pickLive(portal, portal.contacts, n).map((contact) => ((contact.archivedMs = portal.touch()), contact.id));
}
