import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config-error.js';
import { AllowList, hostOf } from './allow-list.js';
import { parseIp } from './ip-address.js';

const admits = (list: AllowList, host: string, address: string, port: number): boolean =>
  list.find(host, parseIp(address)!, port) !== undefined;

describe('AllowList', () => {
  it('admits host names, addresses and blocks, on any port or the one given', () => {
    const list = new AllowList(['Images.Internal', '127.0.0.1:8080', '10.0.0.0/8', '[::1]:9000', 'fd00::/8']);
    expect(admits(list, 'images.internal', '10.9.9.9', 1)).toBe(true);
    expect(admits(list, 'other.internal', '192.168.0.1', 80)).toBe(false);
    expect(admits(list, '127.0.0.1', '127.0.0.1', 8080)).toBe(true);
    expect(admits(list, '127.0.0.1', '127.0.0.1', 8081)).toBe(false);
    expect(admits(list, 'anything', '10.200.0.1', 443)).toBe(true);
    expect(admits(list, '::1', '::1', 9000)).toBe(true);
    expect(admits(list, '::1', '::1', 80)).toBe(false);
    expect(admits(list, 'x', 'fd12::1', 80)).toBe(true);
  });

  it('matches an IPv4 entry against its IPv4-mapped IPv6 form', () => {
    const list = new AllowList(['127.0.0.1']);
    expect(admits(list, '::ffff:7f00:1', '::ffff:7f00:1', 80)).toBe(true);
  });

  it('canonicalises entries as URLs are', () => {
    const list = new AllowList(['0x7f.1', 'images.internal.']);
    expect(admits(list, '127.0.0.1', '127.0.0.1', 80)).toBe(true);
    expect(admits(list, 'images.internal', '10.0.0.1', 80)).toBe(true);
  });

  it.each([
    '',
    'http://x',
    'x:0',
    'x:65536',
    '10.0.0.0/33',
    'host/8',
    '*.example.com',
    '[::1',
    'a b',
    '::1:80x',
  ])('refuses entry %j at start-up', (entry) => {
    expect(() => new AllowList([entry])).toThrow(ConfigError);
    expect(() => new AllowList([entry])).toThrow(/URL_ALLOW_HOSTS has .*not a host name, IP address or CIDR/);
  });
});

describe('hostOf', () => {
  it('drops IPv6 brackets and a trailing dot', () => {
    expect(hostOf(new URL('http://[::1]:80/'))).toBe('::1');
    expect(hostOf(new URL('http://Example.COM./x'))).toBe('example.com');
  });
});
