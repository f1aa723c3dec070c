import { describe, expect, it } from 'vitest';
import { parseIp } from './ip-address.js';
import { blockedReason } from './special-addresses.js';

const reason = (address: string): string | null => blockedReason(parseIp(address)!);

describe('blockedReason', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['127.255.255.254', 'a loopback address'],
    ['::1', 'a loopback address'],
    ['10.0.0.1', 'a private address'],
    ['172.16.0.1', 'a private address'],
    ['172.31.255.255', 'a private address'],
    ['192.168.1.1', 'a private address'],
    ['fd00::1', 'a private (unique local) address'],
    ['fd00:ec2::254', 'a private (unique local) address'],
    ['169.254.169.254', 'the cloud metadata address (link-local)'],
    ['169.254.1.1', 'a link-local address'],
    ['fe80::1', 'a link-local address'],
    ['0.0.0.0', 'an unspecified address'],
    ['0.1.2.3', 'an unspecified address'],
    ['::', 'an unspecified address'],
    ['100.64.0.1', 'a shared (CGNAT) address'],
    ['224.0.0.1', 'a multicast address'],
    ['239.255.255.250', 'a multicast address'],
    ['ff02::1', 'a multicast address'],
    ['255.255.255.255', 'the broadcast address'],
    ['240.0.0.1', 'a reserved address (documentation, benchmarking or future use)'],
    ['192.0.2.1', 'a reserved address (documentation, benchmarking or future use)'],
    ['198.18.0.1', 'a reserved address (documentation, benchmarking or future use)'],
    ['2001:db8::1', 'a reserved address (documentation, benchmarking or future use)'],
    ['fec0::1', 'a site-local address'],
    ['100::1', 'a discard-only address'],
    ['2001::1', 'a Teredo tunnel address'],
  ])('%s is %s', (address, why) => expect(reason(address)).toBe(why));

  it.each([
    ['::ffff:127.0.0.1', 'a loopback address (127.0.0.1 inside an IPv4-mapped IPv6 address)'],
    [
      '::ffff:a9fe:a9fe',
      'the cloud metadata address (link-local) (169.254.169.254 inside an IPv4-mapped IPv6 address)',
    ],
    ['64:ff9b::10.0.0.1', 'a private address (10.0.0.1 inside a NAT64 address)'],
    ['2002:c0a8:101::', 'a private address (192.168.1.1 inside a 6to4 address)'],
    ['::127.0.0.1', 'a loopback address (127.0.0.1 inside an IPv4-compatible IPv6 address)'],
    ['::ffff:0:10.0.0.1', 'a private address (10.0.0.1 inside an IPv4-translated IPv6 address)'],
    ['64:ff9b:1::1', 'a local-use NAT64 address'],
  ])('looks inside IPv6 forms that carry IPv4: %s', (address, why) => expect(reason(address)).toBe(why));

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
    '2002:808:808::',
    '192.52.193.1',
  ])('lets public %s through', (address) => expect(reason(address)).toBeNull());
});
