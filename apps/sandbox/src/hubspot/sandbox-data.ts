/**
 * The sandbox's portal: generated companies, contacts, owners and labeled associations, kept as
 * plain records (JSON is built per page, on request). Deterministic for a seed.
 */

export interface SandboxCompany {
  id: string;
  name: string;
  domain: string;
  /** Number properties as HubSpot sends them: strings. */
  arr: string | null;
  renewalDate: string | null;
  tier: string | null;
  /** A date property, sometimes sent as epoch ms (as HubSpot does for values set that way). */
  customerSince: string | null;
  usage: string | null;
  ownerId: string | null;
  createdMs: number;
  modifiedMs: number;
  archivedMs: number | null;
}

export interface SandboxContact {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  createdMs: number;
  modifiedMs: number;
  archivedMs: number | null;
}

export interface SandboxOwner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  createdMs: number;
  archived: boolean;
}

/** One contact–company association: HubSpot's default type, maybe primary, plus custom labels. */
export interface SandboxLink {
  companyId: string;
  contactId: string;
  primary: boolean;
  labels: string[];
}

/** Custom association labels and their type ids in each direction (ids differ per portal). */
export const SANDBOX_LABELS = [
  { label: 'Decision Maker', contactToCompany: 101, companyToContact: 102 },
  { label: 'Economic Buyer', contactToCompany: 103, companyToContact: 104 },
  { label: 'End User', contactToCompany: 105, companyToContact: 106 },
  { label: 'Technical Buyer', contactToCompany: 107, companyToContact: 108 },
  { label: 'Champion', contactToCompany: 109, companyToContact: 110 },
] as const;

export const TIERS = ['Enterprise', 'Mid-Market', 'SMB', 'Strategic'] as const;

export { seededRandom as randomSource } from '../kit/sandbox';

export class SandboxPortal {
  readonly companies: SandboxCompany[] = [];
  readonly contacts: SandboxContact[] = [];
  readonly owners: SandboxOwner[] = [];
  readonly companyById = new Map<string, SandboxCompany>();
  readonly contactById = new Map<string, SandboxContact>();
  readonly linksByCompany = new Map<string, SandboxLink[]>();
  readonly linksByContact = new Map<string, SandboxLink[]>();
  /** Values of properties the generated records have no field for (annualrevenue, our nps_* ones), by record id. */
  readonly custom = { companies: new Map<string, Record<string, string>>(), contacts: new Map<string, Record<string, string>>() };
  /** Property histories by record id, each property's values oldest first (sandbox-history.ts). */
  readonly history = {
    companies: new Map<string, Record<string, Array<{ value: string; timestamp: number; sourceType: string }>>>(),
    contacts: new Map<string, Record<string, Array<{ value: string; timestamp: number; sourceType: string }>>>(),
  };
  /** The newest modification time in the portal: changes always land strictly after it. */
  private clock = 0;

  constructor(readonly random: () => number) {}

  addCompany(company: SandboxCompany): void {
    this.companies.push(company);
    this.companyById.set(company.id, company);
    this.clock = Math.max(this.clock, company.modifiedMs);
  }

  addContact(contact: SandboxContact): void {
    this.contacts.push(contact);
    this.contactById.set(contact.id, contact);
    this.clock = Math.max(this.clock, contact.modifiedMs);
  }

  link(link: SandboxLink): void {
    push(this.linksByCompany, link.companyId, link);
    push(this.linksByContact, link.contactId, link);
  }

  /** A modification time strictly later than every earlier one (and not before now). */
  touch(): number {
    this.clock = Math.max(Date.now(), this.clock + 1);
    return this.clock;
  }

  /** Associations between two live records. */
  liveLinks(): SandboxLink[] {
    const links: SandboxLink[] = [];
    for (const list of this.linksByCompany.values()) {
      for (const link of list) if (this.isLive(link)) links.push(link);
    }
    return links;
  }

  isLive(link: SandboxLink): boolean {
    return this.companyById.get(link.companyId)?.archivedMs === null && this.contactById.get(link.contactId)?.archivedMs === null;
  }

  pick(n: number): number {
    return Math.floor(this.random() * n);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
