import { describe, expect, it } from 'vitest';
import { redact } from '../src/index.ts';
import { envValue, getFreePort } from '../src/util.ts';

describe('redact', () => {
  it('hides passwords in URLs, leaving everything else', () => {
    expect(redact('postgresql://postgres:abc123@127.0.0.1:5432/postgres')).toBe('postgresql://postgres:***@127.0.0.1:5432/postgres');
    expect(redact('redis://:pw@h:6379 and mongodb://u:p%40ss@h/db?x=1')).toBe('redis://:***@h:6379 and mongodb://u:***@h/db?x=1');
    expect(redact('postgresql://postgres@127.0.0.1/x')).toBe('postgresql://postgres@127.0.0.1/x');
    expect(redact('no url here: a:b@c')).toBe('no url here: a:b@c');
  });
});

describe('helpers', () => {
  it('treats empty environment variables as unset', () => {
    process.env['DEVSTACK_TEST_EMPTY'] = '  ';
    expect(envValue('DEVSTACK_TEST_EMPTY')).toBeUndefined();
    delete process.env['DEVSTACK_TEST_EMPTY'];
  });

  it('finds a free port', async () => {
    const port = await getFreePort();
    expect(port).toBeGreaterThan(0);
    expect(port).toBeLessThan(65536);
  });
});
