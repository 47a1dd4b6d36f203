import { randomSource, SANDBOX_LABELS, SandboxCompany, SandboxPortal, TIERS } from './sandbox-data';

export interface PortalShape {
  companies: number;
  contactsPerCompany: number;
  owners: number;
  /** Deactivated users: listed with archived=true only. */
  archivedOwners: number;
  seed: number;
  /** "Now" for generated dates (renewals ahead, modification times behind). */
  now: number;
}

const DAY = 86_400_000;
const PREFIXES = ['North', 'Blue', 'Summit', 'Bright', 'Iron', 'Silver', 'Green', 'Atlas', 'Nova', 'Harbor', 'Vertex', 'Cedar', 'Quantum', 'Lumen', 'Pioneer'];
const SUFFIXES = ['wind', 'stone', 'field', 'point', 'works', 'wave', 'bridge', 'path', 'forge', 'line', 'gate', 'peak'];
const KINDS = ['Analytics', 'Logistics', 'Health', 'Software', 'Foods', 'Energy', 'Labs', 'Systems', 'Robotics', 'Media', 'Bank', 'Retail'];
const LEGAL = ['Inc.', 'LLC', 'GmbH', 'Ltd', 'SA', 'BV', ''];
const FIRST = [
  'Ana',
  'Ben',
  'Chloé',
  'Dmitri',
  'Emeka',
  'Fatima',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kavya',
  'Liam',
  'Mei',
  'Noah',
  'Olga',
  'Priya',
  'Quinn',
  'Rafael',
  'Sara',
  'Tomás',
  'Uma',
  'Viktor',
  'Wen',
  'Yusuf',
  'Zoe',
];
const LAST = [
  'Almeida',
  'Brown',
  'Chen',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Haddad',
  'Ivanova',
  'Jones',
  'Kowalski',
  'Larsen',
  'Müller',
  'Nakamura',
  'Okafor',
  'Patel',
  'Rossi',
  'Silva',
  'Tanaka',
  'Usman',
  'Virtanen',
  'Walsh',
  "O'Brien",
  'Zhang',
];

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const midnight = (ms: number) => Math.floor(ms / DAY) * DAY;
const slugs = new Map<string, string>();
/** Names come from short lists, so their slugs are computed once. */
const slug = (s: string) => {
  let value = slugs.get(s);
  if (value === undefined)
    slugs.set(
      s,
      (value = s
        .normalize('NFD')
        .replace(/[^A-Za-z0-9]+/g, '')
        .toLowerCase()),
    );
  return value;
};

/** ARR spread over the program's bands: many < 10k, some exactly 100,000, a few ≥ 500k. */
function arr(r: () => number): string | null {
  const u = r();
  const between = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo));
  const amount =
    u < 0.03
      ? null
      : u < 0.08
        ? 100_000
        : u < 0.45
          ? between(500, 10_000)
          : u < 0.65
            ? between(10_000, 50_000)
            : u < 0.8
              ? between(50_000, 100_000)
              : u < 0.95
                ? between(100_001, 500_000)
                : between(500_000, 3_000_000);
  if (amount === null) return null;
  // Some amounts carry cents, as HubSpot number properties may.
  return r() < 0.1 ? `${amount}.${String(between(1, 100)).padStart(2, '0')}` : String(amount);
}

function labels(r: () => number): string[] {
  const u = r();
  const count = u < 0.45 ? 0 : u < 0.8 ? 1 : u < 0.95 ? 2 : 3;
  const chosen = new Set<string>();
  while (chosen.size < count) chosen.add(SANDBOX_LABELS[Math.floor(r() * SANDBOX_LABELS.length)].label);
  return [...chosen];
}

export function generatePortal(shape: PortalShape): SandboxPortal {
  const r = randomSource(shape.seed);
  const portal = new SandboxPortal(r);
  const { now } = shape;
  // Generated history ends an hour ago: every later change is unmistakably newer.
  const modified = () => now - 3_600_000 - Math.floor(r() * 365 * DAY);

  for (let k = 0; k < shape.owners + shape.archivedOwners; k++) {
    const firstName = FIRST[k % FIRST.length];
    const lastName = LAST[(k * 7) % LAST.length];
    portal.owners.push({
      id: String(40_000_001 + k),
      email: `${slug(firstName)}.${slug(lastName)}.${k}@vendor.example.com`,
      firstName,
      lastName,
      createdMs: now - 800 * DAY + k * DAY,
      archived: k >= shape.owners,
    });
  }

  for (let i = 0; i < shape.companies; i++) {
    const brand = `${PREFIXES[Math.floor(r() * PREFIXES.length)]}${SUFFIXES[Math.floor(r() * SUFFIXES.length)]}`;
    const kind = KINDS[Math.floor(r() * KINDS.length)];
    const legal = LEGAL[Math.floor(r() * LEGAL.length)];
    const modifiedMs = modified();
    const renewalIn = r() < 0.12 ? 60 + Math.floor(r() * 31) : -60 + Math.floor(r() * 425);
    const since = midnight(now - (30 + Math.floor(r() * 2000)) * DAY);
    const company: SandboxCompany = {
      id: String(5_000_000_001 + i),
      name: `${brand} ${kind}${legal ? ` ${legal}` : ''}`,
      domain: `${slug(brand)}-${slug(kind)}-${i}.example.com`,
      arr: arr(r),
      renewalDate: r() < 0.05 ? null : isoDate(now + renewalIn * DAY),
      tier: r() < 0.05 ? null : TIERS[Math.floor(r() * TIERS.length)],
      customerSince: r() < 0.05 ? null : r() < 0.3 ? String(since) : isoDate(since),
      usage: String(Math.floor(r() * 101)),
      ownerId: shape.owners === 0 || r() < 0.05 ? null : portal.owners[Math.floor(r() * shape.owners)].id,
      createdMs: modifiedMs - Math.floor(r() * 400 * DAY),
      modifiedMs,
      archivedMs: null,
    };
    portal.addCompany(company);
  }

  let j = 0;
  portal.companies.forEach((company, i) => {
    for (let n = 0; n < shape.contactsPerCompany; n++, j++) {
      const firstName = FIRST[Math.floor(r() * FIRST.length)];
      const lastName = LAST[Math.floor(r() * LAST.length)];
      const modifiedMs = modified();
      const contact = {
        id: String(7_000_000_001 + j),
        email: `${slug(firstName)}.${slug(lastName)}.${j}@${company.domain}`,
        firstName,
        lastName,
        createdMs: modifiedMs - Math.floor(r() * 400 * DAY),
        modifiedMs,
        archivedMs: null,
      };
      portal.addContact(contact);
      portal.link({ companyId: company.id, contactId: contact.id, primary: true, labels: labels(r) });
      // Every seventh contact also works with the next company (a second, non-primary association).
      if (j % 7 === 6 && portal.companies.length > 1) {
        const other = portal.companies[(i + 1) % portal.companies.length];
        portal.link({ companyId: other.id, contactId: contact.id, primary: false, labels: labels(r) });
      }
    }
  });
  return portal;
}
