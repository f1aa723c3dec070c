/** An IP address as network-order bytes: 4 for IPv4, 16 for IPv6. */
export type IpBytes = Uint8Array;

/** An address block: the first `prefix` bits of `bytes` are the network. */
export interface Cidr {
  bytes: IpBytes;
  prefix: number;
}

const DECIMAL_OCTET = /^(?:0|[1-9]\d{0,2})$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;

/**
 * Parses an IPv4 address in strict dotted-decimal form, or an IPv6 address (with `::`, an IPv4
 * tail, and an ignored `%zone`). Anything else is null: leading zeros, hex or shortened IPv4 are
 * refused rather than guessed at (URLs reach here already canonicalised by the WHATWG parser).
 */
export function parseIp(text: string): IpBytes | null {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

function parseIpv4(text: string): IpBytes | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = new Uint8Array(4);
  for (const [i, part] of parts.entries()) {
    if (!DECIMAL_OCTET.test(part) || Number(part) > 255) return null;
    bytes[i] = Number(part);
  }
  return bytes;
}

function parseIpv6(text: string): IpBytes | null {
  const zone = text.indexOf('%');
  if (zone === 0 || zone === text.length - 1) return null;
  const halves = (zone > 0 ? text.slice(0, zone) : text).split('::');
  if (halves.length > 2) return null;
  const compressed = halves.length === 2;
  const head = groups(halves[0]!, !compressed);
  const tail = compressed ? groups(halves[1]!, true) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (compressed ? missing < 1 : missing !== 0) return null;
  const words = [...head, ...Array<number>(missing).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  for (const [i, word] of words.entries()) {
    bytes[2 * i] = word >> 8;
    bytes[2 * i + 1] = word & 0xff;
  }
  return bytes;
}

/** 16-bit words of a colon-separated run; an IPv4 tail counts as two words when `last` allows it. */
function groups(run: string, last: boolean): number[] | null {
  if (run === '') return [];
  const pieces = run.split(':');
  const words: number[] = [];
  for (const [i, piece] of pieces.entries()) {
    if (last && i === pieces.length - 1 && piece.includes('.')) {
      const v4 = parseIpv4(piece);
      if (!v4) return null;
      words.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    } else if (HEX_GROUP.test(piece)) {
      words.push(parseInt(piece, 16));
    } else {
      return null;
    }
  }
  return words;
}

/** `10.0.0.0/8`, `fc00::/7`, or a bare address (a block of one). Host bits past the prefix are ignored. */
export function parseCidr(text: string): Cidr | null {
  const [address, prefixText, ...rest] = text.split('/');
  const bytes = parseIp(address!);
  if (!bytes || rest.length > 0) return null;
  const bits = bytes.length * 8;
  if (prefixText === undefined) return { bytes, prefix: bits };
  if (!DECIMAL_OCTET.test(prefixText) || Number(prefixText) > bits) return null;
  return { bytes, prefix: Number(prefixText) };
}

/** Whether `address` lies in `cidr`; an IPv4 block never contains an IPv6 address, nor the reverse. */
export function cidrContains(cidr: Cidr, address: IpBytes): boolean {
  if (cidr.bytes.length !== address.length) return false;
  const whole = cidr.prefix >> 3;
  for (let i = 0; i < whole; i++) if (cidr.bytes[i] !== address[i]) return false;
  const rest = cidr.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((cidr.bytes[whole]! ^ address[whole]!) & mask) === 0;
}

const IPV4_MAPPED = parseCidr('::ffff:0:0/96')!;

/** `::ffff:a.b.c.d` as the IPv4 address it stands for (the kernel connects to it over IPv4); others unchanged. */
export function unmapIpv4(address: IpBytes): IpBytes {
  return cidrContains(IPV4_MAPPED, address) ? address.subarray(12) : address;
}
