import type { LookupAddress } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { VettedTarget } from './vet-target.js';

const HEADERS = { accept: 'image/*', 'user-agent': 'clipsmith' };

/**
 * GET the vetted URL, connecting only to its vetted addresses: the request names the host (Host
 * header, TLS SNI and certificate check) but a second DNS answer cannot steer the socket
 * elsewhere (DNS rebinding). No agent, so no pooled socket from another target is reused.
 */
export function pinnedGet({ url, addresses }: VettedTarget, signal: AbortSignal): Promise<IncomingMessage> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    client
      .get(url, { agent: false, lookup: pinnedLookup(addresses), signal, headers: HEADERS }, resolve)
      .on('error', reject);
  });
}

function pinnedLookup(addresses: readonly LookupAddress[]): LookupFunction {
  const [first] = addresses;
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [...addresses]);
    else callback(null, first!.address, first!.family);
  };
}
