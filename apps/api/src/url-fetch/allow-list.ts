import { ConfigError } from '../config/config-error.js';
import { type Cidr, cidrContains, type IpAddress, parseCidr, unmapIpv4 } from './ip-address.js';

/** The setting through which operators permit internal targets; refusals name it. */
export const ALLOW_HOSTS_SETTING = 'URL_ALLOW_HOSTS';

/** One operator exception: a host name or an address block, on one port or on any. */
export interface AllowEntry {
  host: string | null;
  cidr: Cidr | null;
  port: number | null;
}

const HOST_NAME = /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/;

/** Internal targets an operator permits: `images.internal`, `127.0.0.1:8080`, `10.0.0.0/8`, `[::1]:9000`. */
export class AllowList {
  private readonly entries: readonly AllowEntry[];

  constructor(entries: readonly string[]) {
    this.entries = entries.map(parseEntry);
  }

  /** The entry that admits `address` (reached as `host`) on `port`, if any. */
  find(host: string, address: IpAddress, port: number): AllowEntry | undefined {
    const v4 = unmapIpv4(address);
    return this.entries.find(
      (entry) =>
        (entry.port === null || entry.port === port) &&
        (entry.host === host ||
          (entry.cidr !== null && (cidrContains(entry.cidr, address) || cidrContains(entry.cidr, v4)))),
    );
  }
}

/** The host a URL names, as the allow-list and resolver see it: no IPv6 brackets, no trailing dot. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

function parseEntry(text: string): AllowEntry {
  const [target, portText] = splitPort(text.trim());
  const port = portText === undefined ? null : Number(portText);
  const entry = target && parseTarget(target);
  if (!entry || (port !== null && (port < 1 || port > 65535))) {
    throw new ConfigError(
      ALLOW_HOSTS_SETTING,
      `has "${text}", which is not a host name, IP address or CIDR block (each with an optional :port)`,
    );
  }
  return { ...entry, port };
}

/** `[v6]:port` and `name:port` carry a port; a bare IPv6 address or block does not. */
function splitPort(text: string): [target: string | undefined, port: string | undefined] {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text);
  if (bracketed) return [bracketed[1], bracketed[2]];
  if (text.indexOf(':') !== text.lastIndexOf(':')) return [text, undefined];
  const plain = /^([^:]+)(?::(\d{1,5}))?$/.exec(text);
  return [plain?.[1], plain?.[2]];
}

function parseTarget(target: string): Omit<AllowEntry, 'port'> | null {
  if (target.includes('/')) {
    const cidr = parseCidr(target);
    return cidr && { host: null, cidr };
  }
  // Canonicalised as URLs are, so `0x7f.1` and `2130706433` mean 127.0.0.1 here too.
  let host: string;
  try {
    host = hostOf(new URL(`http://${target.includes(':') ? `[${target}]` : target}/`));
  } catch {
    return null;
  }
  const cidr = parseCidr(host);
  if (cidr) return { host: null, cidr };
  return HOST_NAME.test(host) ? { host, cidr: null } : null;
}
