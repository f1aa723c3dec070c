import ipaddr from 'ipaddr.js';
import { cidrContains, type IpAddress, parseCidr } from './ip-address.js';

/**
 * The policy over ipaddr.js' range table: which of its ranges a server-side fetch must not reach, in
 * the words a refusal uses. Ranges not listed (`unicast`, the anycast `amt` and `as112` services) are
 * public. The IPv6 forms that carry an IPv4 address are unwrapped first (below).
 */
const BLOCKED_RANGES: Readonly<Record<string, string>> = {
  unspecified: 'an unspecified address', // 0.0.0.0 reaches the local host on Linux
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a shared (CGNAT) address',
  private: 'a private address',
  reserved: 'a reserved address (documentation, benchmarking or future use)',
  benchmarking: 'a benchmarking address',
  uniqueLocal: 'a private (unique local) address',
  deprecatedSiteLocal: 'a site-local address',
  discard: 'a discard-only address',
  rfc6052: 'a local-use NAT64 address', // the well-known 64:ff9b::/96 is unwrapped before this
  teredo: 'a Teredo tunnel address',
  deprecatedOrchid: 'an ORCHID address (not routable)',
  orchid2: 'an ORCHID address (not routable)',
  droneRemoteIdProtocolEntityTags: 'a drone remote-ID tag (not routable)',
  segmentRouting: 'a segment-routing SID (not routable)',
};

/** Singled out for its own message: where cloud credentials live. */
const METADATA = parseCidr('169.254.169.254')!;

/** IPv6 forms that carry an IPv4 address, which decides: `::ffff:127.0.0.1` is loopback. */
const CARRIERS = (
  [
    ['::ffff:0:0/96', 12, 'an IPv4-mapped IPv6 address'],
    ['::ffff:0:0:0/96', 12, 'an IPv4-translated IPv6 address'],
    ['64:ff9b::/96', 12, 'a NAT64 address'],
    ['2002::/16', 2, 'a 6to4 address'],
    ['::/96', 12, 'an IPv4-compatible IPv6 address'],
  ] as const
).map(([cidr, offset, form]) => ({ cidr: parseCidr(cidr)!, offset, form }));

/**
 * Why a fetch must not reach `address` ("a loopback address", ...), or null for a public address.
 * Checked before any connection, on every resolved address of every hop.
 */
export function blockedReason(address: IpAddress): string | null {
  if (cidrContains(METADATA, address)) return 'the cloud metadata address (link-local)';
  const direct = BLOCKED_RANGES[address.range()];
  // `::` and `::1` sit inside ::/96 but are themselves, not IPv4-compatible addresses.
  if (direct && address.range() !== 'rfc6052') return direct;
  const carrier = CARRIERS.find(({ cidr }) => cidrContains(cidr, address));
  if (!carrier) return direct ?? null;
  const bytes = address.toByteArray().slice(carrier.offset, carrier.offset + 4);
  const v4 = ipaddr.fromByteArray(bytes);
  const reason = blockedReason(v4);
  return reason && `${reason} (${v4.toString()} inside ${carrier.form})`;
}
