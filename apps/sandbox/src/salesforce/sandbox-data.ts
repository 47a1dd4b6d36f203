import { KEY_PREFIX, salesforceId } from './salesforce-ids';
import { CONTACT_ROLE_VALUES } from './sandbox-schema';
import { Random, Row, SandboxStore } from './sandbox-store';

export interface OrgShape {
  accounts: number;
  contactsPerAccount: number;
  owners: number;
  multiCurrency: boolean;
  /** "Now" for renewal windows and tenure; rows were last modified before it. */
  now: number;
}

const DAY = 86_400_000;
const REGIONS = ['North', 'Pacific', 'Atlantic', 'Nordic', 'Alpine', 'Central', 'Coastal', 'Metro', 'Summit', 'Prairie', 'Harbor', 'Canyon'];
const STEMS = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Stark',
  'Wayne',
  'Wonka',
  'Hooli',
  'Vandelay',
  'Soylent',
  'Cyberdyne',
  'Tyrell',
  'Aperture',
  'Oscorp',
  'Monarch',
  'Gringotts',
  'Dunder',
  'Pied Piper',
  'Massive',
  'Nakatomi',
];
const TRADES = ['Systems', 'Labs', 'Logistics', 'Health', 'Analytics', 'Foods', 'Energy', 'Robotics', 'Media', 'Capital', 'Bio', 'Networks', 'Retail', 'Aerospace', 'Software'];
const SUFFIXES = ['Inc.', 'LLC', 'GmbH', 'Ltd', 'SA', 'Group', 'Corp.'];
const INDUSTRIES = ['Technology', 'Healthcare', 'Retail', 'Manufacturing', 'Finance', 'Energy', 'Media'];
const FIRST = [
  'Ada',
  'Ben',
  'Chloe',
  'Dmitri',
  'Elena',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Keiko',
  'Liam',
  'Maya',
  'Noah',
  'Olga',
  'Priya',
  'Quentin',
  'Rosa',
  'Samir',
  'Tara',
  'Ugo',
  'Vera',
  'Wei',
  'Ximena',
  'Yusuf',
  'Zoe',
];
const LAST = [
  'Anders',
  'Baptiste',
  'Chen',
  'Diallo',
  'Eriksen',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ivanova',
  'Jensen',
  'Kowalski',
  'Lopez',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Petrov',
  'Quinn',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Umar',
  'Varga',
  'Weber',
  'Yilmaz',
  'Zhang',
];
const TITLES = ['CFO', 'CTO', 'VP Operations', 'IT Manager', 'Head of Support', 'Procurement Lead', 'Analyst', 'Engineer', 'Office Manager', 'CEO'];

/** YYYY-MM-DD without building an ISO string (called ~100,000 times for a large org). */
function isoDate(ms: number): string {
  const d = new Date(ms);
  const m = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  return `${d.getUTCFullYear()}-${m < 10 ? '0' : ''}${m}-${day < 10 ? '0' : ''}${day}`;
}
const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '');

/**
 * ARR in whole cents across the program's bands: many below 10k, some exactly 100,000.00, a few
 * at 500k or more, some unset. Mostly round figures, a share with cents.
 */
function arrCents(random: Random): number | null {
  const r = random.next();
  const dollars = (min: number, max: number) => (random.chance(0.7) ? random.int(Math.ceil(min / 100), Math.floor(max / 100)) * 100 * 100 : random.int(min * 100, max * 100));
  if (r < 0.02) return null;
  if (r < 0.47) return dollars(500, 9_999);
  if (r < 0.7) return dollars(10_000, 49_999);
  if (r < 0.8) return dollars(50_000, 99_999);
  if (r < 0.84) return 100_000 * 100;
  if (r < 0.97) return dollars(100_001, 499_999);
  return dollars(500_000, 2_500_000);
}

function tierFor(cents: number | null, random: Random): string | null {
  if (random.chance(0.05)) return null;
  if (random.chance(0.03)) return 'Enterprise'; // strategic logos below the ARR line
  if (cents !== null && cents >= 100_000 * 100) return 'Enterprise';
  if (cents !== null && cents >= 50_000 * 100) return 'Mid-Market';
  return 'SMB';
}

/** Roles on one relation: none for about a third, one for most others, several for a fifth. */
export function randomRoles(random: Random): string | null {
  const r = random.next();
  if (r < 0.35) return null;
  const count = r < 0.8 ? 1 : random.int(2, 3);
  const chosen = new Set<string>();
  while (chosen.size < count) chosen.add(random.chance(0.4) ? random.pick(['Decision Maker', 'Economic Buyer', 'Business User']) : random.pick(CONTACT_ROLE_VALUES));
  // Salesforce returns multi-select values in picklist order.
  return CONTACT_ROLE_VALUES.filter((v) => chosen.has(v)).join(';');
}

export class OrgGenerator {
  private readonly seq: Record<string, number> = {};
  private readonly stampFloor: number;

  constructor(
    private readonly store: SandboxStore,
    private readonly random: Random,
    private readonly shape: OrgShape,
  ) {
    this.stampFloor = shape.now - 730 * DAY;
  }

  private id(object: keyof typeof KEY_PREFIX): string {
    this.seq[object] = (this.seq[object] ?? 0) + 1;
    return salesforceId(KEY_PREFIX[object], this.seq[object]);
  }

  /** A past SystemModstamp in whole seconds, between two years and one hour ago. */
  private pastStamp(): number {
    const at = this.random.int(this.stampFloor, this.shape.now - 3_600_000);
    return Math.floor(at / 1000) * 1000;
  }

  build(): void {
    const owners = this.buildOwners();
    const active = owners.filter((o) => o.IsActive);
    const names = new Set<string>();
    const accounts: Row[] = [];
    for (let i = 0; i < this.shape.accounts; i++) accounts.push(this.buildAccount(i, names, this.random.chance(0.03) ? owners : active));
    accounts.forEach((account, i) => this.buildContacts(account, i, accounts));
  }

  private buildOwners(): Row[] {
    const rows: Row[] = [];
    for (let i = 0; i < this.shape.owners; i++) {
      const first = FIRST[i % FIRST.length];
      const last = LAST[(i * 7) % LAST.length];
      const email = `${slug(first)}.${slug(last)}${i >= FIRST.length ? i : ''}@nps-bridge-sandbox.example.com`;
      rows.push(
        this.store.insert('User', {
          Id: this.id('User'),
          Username: `${email}.sandbox`,
          Name: `${first} ${last}`,
          FirstName: first,
          LastName: last,
          Email: email,
          Title: 'Customer Success Manager',
          // A couple of former CSMs still own accounts.
          IsActive: i % 12 !== 11,
          SystemModstamp: this.pastStamp(),
        }),
      );
    }
    return rows;
  }

  private buildAccount(index: number, names: Set<string>, owners: Row[]): Row {
    const random = this.random;
    let name = `${random.pick(REGIONS)} ${random.pick(STEMS)} ${random.pick(TRADES)} ${random.pick(SUFFIXES)}`;
    if (names.has(name)) name = `${name} (${index + 1})`;
    names.add(name);
    const cents = arrCents(random);
    const sinceDays = random.chance(0.06) ? random.int(1, 90) : random.int(91, 8 * 365);
    const account = this.store.insert('Account', {
      Id: this.id('Account'),
      IsDeleted: false,
      Name: name,
      OwnerId: owners.length > 0 ? random.pick(owners).Id : null,
      Industry: random.pick(INDUSTRIES),
      AnnualRevenue: random.int(1, 500) * 1_000_000,
      ...(this.shape.multiCurrency ? { CurrencyIsoCode: random.pick(['USD', 'USD', 'EUR', 'GBP']) } : {}),
      ARR__c: cents === null ? null : cents / 100,
      Tier__c: tierFor(cents, random),
      Customer_Since__c: random.chance(0.03) ? null : isoDate(this.shape.now - sinceDays * DAY),
      Usage_Score__c: random.chance(0.1) ? null : random.int(0, 1000) / 10,
      Renewal_Date__c: null,
      SystemModstamp: this.pastStamp(),
    });
    account.Renewal_Date__c = this.buildContracts(account);
    return account;
  }

  /** Contracts: usually one Activated (some renewing within 60–90 days), older Expired ones, a few Drafts. */
  private buildContracts(account: Row): string | null {
    const random = this.random;
    if (random.chance(0.05)) return null;
    const endDays = random.chance(0.1) ? random.int(60, 90) : random.int(1, 540);
    const term = random.pick([12, 12, 24, 36]);
    const end = this.shape.now + endDays * DAY;
    const start = end - term * 30.4 * DAY;
    const add = (status: string, startMs: number, endMs: number, months: number) =>
      this.store.insert('Contract', {
        Id: this.id('Contract'),
        IsDeleted: false,
        AccountId: account.Id,
        ContractNumber: String(this.seq.Contract).padStart(8, '0'),
        Status: status,
        StartDate: isoDate(startMs),
        EndDate: isoDate(endMs),
        ContractTerm: months,
        SystemModstamp: this.pastStamp(),
      });
    if (random.chance(0.4)) add('Expired', start - 12 * 30.4 * DAY, start - DAY, 12);
    add('Activated', start, end, term);
    // A renewal still in Draft ends later than the active contract but is not the renewal date.
    if (random.chance(0.05)) add('Draft', end + DAY, end + 366 * DAY, 12);
    return isoDate(end);
  }

  private buildContacts(account: Row, index: number, accounts: Row[]): void {
    const random = this.random;
    const domain = `${slug(String(account.Name)).slice(0, 20)}-${index + 1}.example.com`;
    const used = new Set<string>();
    for (let c = 0; c < this.shape.contactsPerAccount; c++) {
      const first = random.pick(FIRST);
      const last = random.pick(LAST);
      let local = `${slug(first)}.${slug(last)}`;
      if (used.has(local)) local = `${local}${c + 1}`;
      used.add(local);
      const contact = this.store.insert('Contact', {
        Id: this.id('Contact'),
        IsDeleted: false,
        AccountId: account.Id,
        FirstName: first,
        LastName: last,
        Name: `${first} ${last}`,
        Email: `${local}@${domain}`,
        Title: random.pick(TITLES),
        SystemModstamp: this.pastStamp(),
      });
      this.relate(account, contact, true, true);
      // Some people also speak for a second account (a subsidiary, a former employer).
      if (accounts.length > 1 && random.chance(0.05)) {
        let other = random.pick(accounts);
        if (other === account) other = accounts[(index + 1) % accounts.length];
        this.relate(other, contact, false, !random.chance(0.2));
      }
    }
  }

  private relate(account: Row, contact: Row, direct: boolean, active: boolean): void {
    const started = this.shape.now - this.random.int(30, 1500) * DAY;
    this.store.insert('AccountContactRelation', {
      Id: this.id('AccountContactRelation'),
      IsDeleted: false,
      AccountId: account.Id,
      ContactId: contact.Id,
      Roles: randomRoles(this.random),
      IsActive: active,
      IsDirect: direct,
      StartDate: isoDate(started),
      EndDate: active ? null : isoDate(this.shape.now - this.random.int(1, 29) * DAY),
      SystemModstamp: this.pastStamp(),
    });
  }
}
