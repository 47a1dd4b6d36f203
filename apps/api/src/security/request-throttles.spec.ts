import type { Request } from 'express';
import { clientKey } from './request-throttles';

const from = (ip: string | undefined, remoteAddress?: string) => ({ ip, socket: { remoteAddress } }) as unknown as Request;

describe('clientKey: whom a failure counts against', () => {
  it('is the IPv4 address, also when it arrives IPv4-mapped', () => {
    expect(clientKey(from('203.0.113.7'))).toBe('203.0.113.7');
    expect(clientKey(from('::ffff:203.0.113.7'))).toBe('203.0.113.7');
  });

  it('is the /64 for IPv6, so walking the addresses of one subscriber block does not dodge the limit', () => {
    expect(clientKey(from('2001:db8:85a3:42:1:2:3:4'))).toBe('2001:db8:85a3:42::/64');
    expect(clientKey(from('2001:0DB8:85a3:0042:ffff::1'))).toBe('2001:db8:85a3:42::/64');
    expect(clientKey(from('2001:db8::1'))).toBe('2001:db8:0:0::/64');
    expect(clientKey(from('::1'))).toBe('0:0:0:0::/64');
  });

  it('falls back to the socket address when Express has none', () => {
    expect(clientKey(from(undefined, '198.51.100.2'))).toBe('198.51.100.2');
  });
});
