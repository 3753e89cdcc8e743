import { describe, expect, it } from 'vitest';
import { WEBHOOK_EVENT_TYPES } from '../src/webhooks/event-types.ts';
import { postWebhook } from '../src/webhooks/http.ts';
import { EVENT_TYPES, isPrivateAddress, isPrivateHost, publicOnlyLookup } from '@pathway/kit';

// That these are exactly the event types something publishes: packages/kit/test/event-catalog.test.ts.
describe('webhook event types', () => {
  it('are the event catalog', () => {
    expect(WEBHOOK_EVENT_TYPES).toEqual(EVENT_TYPES);
    expect(WEBHOOK_EVENT_TYPES).toContain('campus.enrollment.changed');
  });
});

describe('webhook network policy', () => {
  it('counts loopback, private, link-local and unique-local addresses (also IPv4-mapped) as private', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
    ])
      expect(isPrivateAddress(address), address).toBe(true);
    for (const address of ['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111']) expect(isPrivateAddress(address), address).toBe(false);
    for (const host of ['localhost', 'api.localhost', '[::1]', '127.0.0.1']) expect(isPrivateHost(host), host).toBe(true);
    expect(isPrivateHost('hooks.example.org')).toBe(false);
  });

  it('refuses to deliver to a private address, literal or resolved, unless allowed', async () => {
    const result = await postWebhook('https://127.0.0.1:9/hook', '{}', {}, { timeoutMs: 1000, allowPrivateNetworks: false });
    expect(result).toEqual({ ok: false, statusCode: null, error: 'private address refused' });
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => publicOnlyLookup()('localhost', {}, (e) => resolve(e)));
    expect(error?.code).toBe('EPRIVATEADDRESS');
  });
});
