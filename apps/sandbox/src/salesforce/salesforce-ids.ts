const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CHECKSUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** Key prefixes Salesforce uses for the objects the sandbox holds. */
export const KEY_PREFIX = {
  Account: '001',
  Contact: '003',
  User: '005',
  AccountContactRelation: '07k',
  Contract: '800',
  AccountHistory: '017',
  Task: '00T',
  Organization: '00D',
  QueryLocator: '01g',
  PermissionSet: '0PS',
  FieldPermissions: '01k',
  PermissionSetAssignment: '0Pa',
  CustomField: '00N',
} as const;

/**
 * The 3-character suffix that makes a 15-character id case-insensitive: for each 5-character
 * chunk, a bit per upper-case letter, read right to left.
 */
function idChecksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15[chunk * 5 + i];
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += CHECKSUM[bits];
  }
  return suffix;
}

/** The n-th 18-character id of an object: ids sort (as text) in creation order, like Salesforce's. */
export function salesforceId(prefix: string, n: number): string {
  let digits = '';
  let rest = n;
  do {
    digits = BASE62[rest % 62] + digits;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  const id15 = `${prefix}5g000${digits.padStart(7, '0')}`;
  return id15 + idChecksum(id15);
}
