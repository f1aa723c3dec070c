import { describe, expect, it } from 'vitest';
import { cidrContains, parseCidr, parseIp, unmapIpv4 } from './ip-address.js';

const bytes = (text: string): number[] | null => parseIp(text)?.toByteArray() ?? null;
const cidr = (text: string): [string, number] | null => {
  const parsed = parseCidr(text);
  return parsed && [parsed[0].toString(), parsed[1]];
};

function contains(cidr: string, address: string): boolean {
  return cidrContains(parseCidr(cidr)!, parseIp(address)!);
}

describe('parseIp', () => {
  it('reads dotted-decimal IPv4', () => {
    expect(bytes('127.0.0.1')).toEqual([127, 0, 0, 1]);
    expect(bytes('0.0.0.0')).toEqual([0, 0, 0, 0]);
    expect(bytes('255.255.255.255')).toEqual([255, 255, 255, 255]);
  });

  it.each([
    '256.0.0.1',
    '1.2.3',
    '1.2.3.4.5',
    '0177.0.0.1',
    '0x7f.0.0.1',
    '2130706433',
    '1.2.3.',
    ' 1.2.3.4',
    '',
    '-1.0.0.0',
  ])('refuses IPv4 %j rather than guessing', (text) => expect(parseIp(text)).toBeNull());

  it('reads IPv6 in full, compressed and with an IPv4 tail', () => {
    expect(bytes('2001:db8:0:0:0:0:0:1')).toEqual(bytes('2001:db8::1'));
    expect(bytes('::')).toEqual(Array(16).fill(0));
    expect(bytes('::1')).toEqual([...Array(15).fill(0), 1]);
    expect(bytes('1::')).toEqual([0, 1, ...Array(14).fill(0)]);
    expect(bytes('::ffff:127.0.0.1')).toEqual(bytes('::ffff:7f00:1'));
    expect(bytes('::ffff:7f00:1')?.slice(10)).toEqual([0xff, 0xff, 127, 0, 0, 1]);
    expect(bytes('FE80::ABCD')).toEqual(bytes('fe80::abcd'));
    expect(bytes('1:2:3:4:5:6:1.2.3.4')).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 1, 2, 3, 4]);
    // ipaddr.js alone would read this as ::ffff:127.0.0.1; it is the IPv4-compatible ::7f00:1.
    expect(bytes('::127.0.0.1')).toEqual([...Array(12).fill(0), 127, 0, 0, 1]);
  });

  it('ignores a zone id', () => {
    expect(bytes('fe80::1%eth0')).toEqual(bytes('fe80::1'));
    expect(parseIp('fe80::1%')).toBeNull();
  });

  it.each([
    ':::',
    '1:::2',
    '1::2::3',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4::5:6:7:8',
    '12345::',
    'g::1',
    ':1::',
    '1::2:',
    '::1.2.3.4:5',
    '1.2.3.4::',
    '::256.0.0.1',
    '::01.2.3.4',
    '::0177.0.0.1',
    '%eth0',
  ])('refuses IPv6 %j', (text) => expect(parseIp(text)).toBeNull());
});

describe('parseCidr', () => {
  it('reads blocks and bare addresses', () => {
    expect(cidr('10.0.0.0/8')).toEqual(['10.0.0.0', 8]);
    expect(cidr('10.1.2.3')).toEqual(['10.1.2.3', 32]);
    expect(cidr('::1')).toEqual(['::1', 128]);
    expect(cidr('fc00::/7')).toEqual(['fc00::', 7]);
    expect(cidr('0.0.0.0/0')).toEqual(['0.0.0.0', 0]);
  });

  it.each([
    '10.0.0.0/33',
    '::/129',
    '10.0.0.0/',
    '10.0.0.0/08',
    '10.0.0.0/x',
    '10.0.0.0/8/8',
    '010.0.0.0/8',
    'host/8',
    '/8',
  ])('refuses %j', (text) => expect(parseCidr(text)).toBeNull());
});

describe('cidrContains', () => {
  it('compares whole-byte prefixes', () => {
    expect(contains('10.0.0.0/8', '10.255.255.255')).toBe(true);
    expect(contains('10.0.0.0/8', '11.0.0.0')).toBe(false);
    expect(contains('192.168.0.0/16', '192.168.1.1')).toBe(true);
    expect(contains('192.168.0.0/16', '192.169.0.0')).toBe(false);
  });

  it('masks the bits of a partial byte', () => {
    expect(contains('172.16.0.0/12', '172.16.0.0')).toBe(true);
    expect(contains('172.16.0.0/12', '172.31.255.255')).toBe(true);
    expect(contains('172.16.0.0/12', '172.15.255.255')).toBe(false);
    expect(contains('172.16.0.0/12', '172.32.0.0')).toBe(false);
    expect(contains('100.64.0.0/10', '100.127.255.255')).toBe(true);
    expect(contains('100.64.0.0/10', '100.128.0.0')).toBe(false);
    expect(contains('fc00::/7', 'fdff:ffff::1')).toBe(true);
    expect(contains('fc00::/7', 'fe00::')).toBe(false);
    expect(contains('fe80::/10', 'febf:ffff::')).toBe(true);
    expect(contains('fe80::/10', 'fec0::')).toBe(false);
  });

  it('handles /0, a single address, and ignores host bits in the block', () => {
    expect(contains('0.0.0.0/0', '203.0.113.9')).toBe(true);
    expect(contains('::/0', '2001:db8::1')).toBe(true);
    expect(contains('127.0.0.1', '127.0.0.1')).toBe(true);
    expect(contains('127.0.0.1/32', '127.0.0.2')).toBe(false);
    expect(contains('::1', '::1')).toBe(true);
    expect(contains('::1', '::2')).toBe(false);
    expect(contains('10.1.2.3/8', '10.200.0.1')).toBe(true);
  });

  it('never matches across families', () => {
    expect(contains('0.0.0.0/0', '::1')).toBe(false);
    expect(contains('::/0', '127.0.0.1')).toBe(false);
    expect(contains('127.0.0.0/8', '::ffff:127.0.0.1')).toBe(false);
  });
});

describe('unmapIpv4', () => {
  it('turns ::ffff:a.b.c.d into a.b.c.d and leaves other addresses alone', () => {
    expect(unmapIpv4(parseIp('::ffff:10.1.2.3')!).toString()).toBe('10.1.2.3');
    expect(unmapIpv4(parseIp('64:ff9b::10.1.2.3')!).toString()).toBe('64:ff9b::a01:203');
    expect(unmapIpv4(parseIp('10.1.2.3')!).toString()).toBe('10.1.2.3');
  });
});
