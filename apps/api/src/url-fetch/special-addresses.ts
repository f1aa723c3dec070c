import { cidrContains, type IpBytes, parseCidr } from './cidr.js';

/** Ranges a server-side fetch must not reach; the first match names the reason. */
const BLOCKED = (
  [
    ['0.0.0.0/8', 'an unspecified address'], // 0.0.0.0 reaches the local host on Linux
    ['10.0.0.0/8', 'a private address'],
    ['100.64.0.0/10', 'a shared (CGNAT) address'],
    ['127.0.0.0/8', 'a loopback address'],
    ['169.254.169.254/32', 'the cloud metadata address (link-local)'],
    ['169.254.0.0/16', 'a link-local address'],
    ['172.16.0.0/12', 'a private address'],
    ['192.0.0.0/24', 'a reserved address'],
    ['192.0.2.0/24', 'a documentation address'],
    ['192.168.0.0/16', 'a private address'],
    ['198.18.0.0/15', 'a benchmarking address'],
    ['198.51.100.0/24', 'a documentation address'],
    ['203.0.113.0/24', 'a documentation address'],
    ['224.0.0.0/4', 'a multicast address'],
    ['255.255.255.255/32', 'the broadcast address'],
    ['240.0.0.0/4', 'a reserved address'],
    ['::/128', 'an unspecified address'],
    ['::1/128', 'a loopback address'],
    ['64:ff9b:1::/48', 'a local-use NAT64 address'],
    ['100::/64', 'a discard-only address'],
    ['2001:db8::/32', 'a documentation address'],
    ['fc00::/7', 'a private (unique local) address'],
    ['fe80::/10', 'a link-local address'],
    ['fec0::/10', 'a site-local address'],
    ['ff00::/8', 'a multicast address'],
  ] as const
).map(([cidr, what]) => ({ cidr: parseCidr(cidr)!, what }));

/** IPv6 forms that carry an IPv4 address, which decides: `::ffff:127.0.0.1` is loopback. */
const EMBEDDED = (
  [
    ['::ffff:0:0/96', 12, 'an IPv4-mapped IPv6 address'],
    ['64:ff9b::/96', 12, 'a NAT64 address'],
    ['2002::/16', 2, 'a 6to4 address'],
    ['::/96', 12, 'an IPv4-compatible IPv6 address'],
  ] as const
).map(([cidr, offset, form]) => ({ cidr: parseCidr(cidr)!, offset, form }));

/**
 * Why a fetch must not reach `address` ("a loopback address", ...), or null for a public address.
 * Checked before any connection, on every resolved address of every hop.
 */
export function blockedReason(address: IpBytes): string | null {
  const direct = BLOCKED.find(({ cidr }) => cidrContains(cidr, address));
  if (direct) return direct.what;
  const embedding = EMBEDDED.find(({ cidr }) => cidrContains(cidr, address));
  if (!embedding) return null;
  const v4 = address.subarray(embedding.offset, embedding.offset + 4);
  const reason = blockedReason(v4);
  return reason && `${reason} (${v4.join('.')} inside ${embedding.form})`;
}
