import ipaddr from 'ipaddr.js';

/** An IP address as ipaddr.js models it: `kind()`, `range()`, `match()`. */
export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;
/** An address block: network address and prefix length. Host bits past the prefix are ignored. */
export type Cidr = [IpAddress, number];

const PREFIX = /^(?:0|[1-9]\d{0,2})$/;

/**
 * Parses an IPv4 address in strict dotted-decimal form, or an IPv6 address (with `::`, an IPv4 tail,
 * and an ignored `%zone`). Anything else is null: leading zeros, hex or shortened IPv4 are refused
 * rather than guessed at. IPv6 text is first canonicalised by the WHATWG URL parser, because ipaddr.js
 * alone reads `::1.2.3.4` as IPv4-mapped and accepts `::01.2.3.4` (see docs/libraries.md).
 */
export function parseIp(text: string): IpAddress | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (!text.includes(':')) return null;
  const zone = text.indexOf('%');
  if (zone === 0 || zone === text.length - 1) return null;
  const canonical = canonicalIpv6(zone > 0 ? text.slice(0, zone) : text);
  return canonical === null ? null : ipaddr.IPv6.parse(canonical);
}

function canonicalIpv6(text: string): string | null {
  try {
    return new URL(`http://[${text}]/`).hostname.slice(1, -1);
  } catch {
    return null;
  }
}

/** `10.0.0.0/8`, `fc00::/7`, or a bare address (a block of one). */
export function parseCidr(text: string): Cidr | null {
  const [address, prefixText, ...rest] = text.split('/');
  const ip = parseIp(address!);
  if (!ip || rest.length > 0) return null;
  const bits = ip.kind() === 'ipv4' ? 32 : 128;
  if (prefixText === undefined) return [ip, bits];
  if (!PREFIX.test(prefixText) || Number(prefixText) > bits) return null;
  return [ip, Number(prefixText)];
}

/** Whether `address` lies in `cidr`; an IPv4 block never contains an IPv6 address, nor the reverse. */
export function cidrContains(cidr: Cidr, address: IpAddress): boolean {
  return cidr[0].kind() === address.kind() && address.match(cidr);
}

/** `::ffff:a.b.c.d` as the IPv4 address it stands for (the kernel connects to it over IPv4); others unchanged. */
export function unmapIpv4(address: IpAddress): IpAddress {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()
    ? (address as ipaddr.IPv6).toIPv4Address()
    : address;
}
