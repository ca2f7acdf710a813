import { describe, expect, it } from 'vitest';
import { inAnyCidr, inCidr, parseAddress, parseCidr } from '../../shared/audit/cidr.ts';

describe('cidr', () => {
  it('matches IPv4 blocks at their edges', () => {
    const block = parseCidr('10.0.0.0/16');
    expect(inCidr('10.0.0.0', block)).toBe(true);
    expect(inCidr('10.0.255.255', block)).toBe(true);
    expect(inCidr('10.1.0.0', block)).toBe(false);
    expect(inCidr('192.168.1.9', parseCidr('192.168.1.9'))).toBe(true);
    expect(inCidr('1.2.3.4', parseCidr('0.0.0.0/0'))).toBe(true);
  });

  it('matches IPv6 blocks, compressed forms and embedded IPv4, never across families', () => {
    const block = parseCidr('fd00:ec2::/64');
    expect(inCidr('fd00:ec2::17', block)).toBe(true);
    expect(inCidr('fd00:ec2:0:0:ffff::1', block)).toBe(true);
    expect(inCidr('fd00:ec2:0:1::1', block)).toBe(false);
    expect(inCidr('::ffff:10.0.0.1', parseCidr('::ffff:0:0/96'))).toBe(true);
    expect(inCidr('10.0.0.1', block)).toBe(false);
    expect(inAnyCidr('2001:db8::1', [parseCidr('10.0.0.0/8'), block])).toBe(false);
  });

  it('rejects what is not an address or a block', () => {
    for (const bad of ['10.0.0/16', '10.0.0.256', '10.0.0.0/33', 'fd00::/129', '1::2::3', 'x']) {
      expect(() => parseCidr(bad), bad).toThrow('is not a CIDR block');
    }
    expect(parseAddress('not-an-ip')).toBeUndefined();
  });
});
