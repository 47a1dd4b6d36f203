import { randomFillSync } from 'node:crypto';

const pool = Buffer.alloc(10 * 1024);
let offset = pool.length;

/**
 * A UUID version 7 (RFC 9562): the time in milliseconds, then random bits. A million imported
 * answers get ids that ascend with the import, so their primary-key inserts land on the index's
 * last pages instead of a random page each; the ids stay as unguessable as the table needs.
 */
export function timeOrderedUuid(ms: number = Date.now()): string {
  if (offset + 10 > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = Buffer.allocUnsafe(16);
  bytes.writeUIntBE(ms, 0, 6);
  pool.copy(bytes, 6, offset, offset + 10);
  offset += 10;
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
