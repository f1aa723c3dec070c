import type { LookupAddress } from 'node:dns';
import { ALLOW_HOSTS_SETTING, type AllowList, hostOf } from './allow-list.js';
import { parseIp } from './ip-address.js';
import { blockedReason } from './special-addresses.js';
import { UrlFetchError } from './url-fetch-error.js';

export type Resolve = (hostname: string) => Promise<readonly LookupAddress[]>;

export interface TargetPolicy {
  allowList: AllowList;
  /** Ports a URL may name; undefined allows any. */
  allowPorts: readonly number[] | undefined;
  resolve: Resolve;
}

/** A URL cleared for one request, with the only addresses it may connect to. */
export interface VettedTarget {
  url: URL;
  addresses: readonly LookupAddress[];
}

/** Parses with the WHATWG parser, which also canonicalises IPv4 hosts (`0x7f.1` → `127.0.0.1`). */
export function parseUrl(text: string, base?: URL): URL {
  try {
    return new URL(text, base);
  } catch (error) {
    throw new UrlFetchError('URL_NOT_ALLOWED', 'not a valid absolute URL', { cause: error });
  }
}

/**
 * Clears `url` for a request, or throws URL_NOT_ALLOWED naming the rule: http(s) only, no
 * credentials, an allowed port, and every address the host resolves to public or permitted by
 * the allow-list. Nothing here opens a connection.
 */
export async function vetTarget(url: URL, policy: TargetPolicy, signal: AbortSignal): Promise<VettedTarget> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw notAllowed(`${url.protocol} URLs are not allowed; use http or https`);
  }
  if (url.username || url.password) {
    throw notAllowed('URLs with credentials (user:password@) are not allowed');
  }
  const host = hostOf(url);
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const literal = parseIp(host);
  const addresses = literal
    ? [{ address: host, family: literal.kind() === 'ipv4' ? 4 : 6 }]
    : await resolve(host, policy.resolve, signal);
  for (const { address } of addresses) {
    const ip = parseIp(address);
    const subject = (what: string): string =>
      literal ? `${address} is ${what}` : `${host} resolves to ${address}, ${what}`;
    if (!ip) throw notAllowed(subject('an address that cannot be checked'));
    const entry = policy.allowList.find(host, ip, port);
    const reason = entry ? null : blockedReason(ip);
    if (reason) throw notAllowed(`${subject(reason)}; add it to ${ALLOW_HOSTS_SETTING} to allow it`);
    if (policy.allowPorts && !policy.allowPorts.includes(port) && entry?.port !== port) {
      throw notAllowed(`port ${port} is not allowed (allowed: ${policy.allowPorts.join(', ')})`);
    }
  }
  return { url, addresses };
}

async function resolve(
  host: string,
  lookup: Resolve,
  signal: AbortSignal,
): Promise<readonly LookupAddress[]> {
  let addresses: readonly LookupAddress[];
  try {
    addresses = await abortable(lookup(host), signal);
  } catch (error) {
    if (signal.aborted) throw error; // the fetcher reports the timeout or cancellation
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UrlFetchError('URL_FETCH_FAILED', `could not resolve ${host} (${code})`, { cause: error });
  }
  if (addresses.length === 0) throw new UrlFetchError('URL_FETCH_FAILED', `${host} has no addresses`);
  return addresses;
}

/** getaddrinfo cannot be cancelled; the fetch stops waiting for it instead. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function notAllowed(message: string): UrlFetchError {
  return new UrlFetchError('URL_NOT_ALLOWED', message);
}
