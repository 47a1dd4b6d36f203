import { randomFillSync } from 'node:crypto';

const pool = Buffer.alloc(10 * 1024);
let offset = pool.length;
/** The time bytes of the id being made, and its text (dashes in place): reused, so an id allocates only its string. */
const timeBytes = Buffer.alloc(6);
const text = Buffer.from('00000000-0000-0000-0000-000000000000', 'latin1');
const HEX = Buffer.from('0123456789abcdef', 'latin1');
/** Where each of the 16 bytes' two hex digits go in the text. */
const DIGITS_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

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
  timeBytes.writeUIntBE(ms, 0, 6);
  for (let i = 0; i < 16; i++) {
    let byte = i < 6 ? timeBytes[i] : pool[offset + i - 6];
    if (i === 6) byte = (byte & 0x0f) | 0x70;
    else if (i === 8) byte = (byte & 0x3f) | 0x80;
    const at = DIGITS_AT[i];
    text[at] = HEX[byte >> 4];
    text[at + 1] = HEX[byte & 0x0f];
  }
  offset += 10;
  return text.toString('latin1', 0, 36);
}
