import { describe, expect, it } from 'vitest';
import { acceptedRequestId } from './request-id.js';

describe('acceptedRequestId', () => {
  it('takes the ids tracing systems send', () => {
    for (const id of [
      '3f2b8c1e-6a4d-4f7e-9b1a-2c3d4e5f6a7b',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      'Root=1-5759e988-bd862e3fe1be46a994272793',
      'req_abc.123:x/y+z@host~1',
    ])
      expect(acceptedRequestId(id, 128)).toBe(id);
  });

  it('refuses what could forge or break a log line or a header, and over-long ids', () => {
    for (const id of ['', 'has space', 'line\nbreak', '"quoted"', 'a;b', '<script>', 'ünïcode'])
      expect(acceptedRequestId(id, 128)).toBeNull();
    expect(acceptedRequestId('x'.repeat(129), 128)).toBeNull();
    expect(acceptedRequestId('x'.repeat(128), 128)).toBe('x'.repeat(128));
    expect(acceptedRequestId(['a', 'b'], 128)).toBeNull();
    expect(acceptedRequestId(undefined, 128)).toBeNull();
  });
});
