import { describe, expect, it } from 'vitest';
import { baseUrlField } from '../src/writes/provider-inputs.ts';

// The network policy of provider addresses (the gateway tests run with private networks allowed).
describe('provider base URL', () => {
  const strict = baseUrlField(false);
  const relaxed = baseUrlField(true);

  it('refuses loopback, private and link-local hosts and plain http unless allowed', () => {
    for (const url of [
      'https://127.0.0.1',
      'https://localhost:8443',
      'https://10.0.0.5/canvas',
      'https://192.168.1.10',
      'https://169.254.169.254',
      'https://[::1]',
      'http://canvas.example.org',
    ])
      expect(strict.safeParse(url).success, url).toBe(false);
    expect(relaxed.parse('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
    expect(strict.parse('https://canvas.example.org/')).toBe('https://canvas.example.org');
  });

  it('says why', () => {
    const issues = strict.safeParse('https://127.0.0.1').error!.issues.map((i) => i.message);
    expect(issues).toContain('must not point at a private or loopback address');
    expect(strict.safeParse('http://canvas.example.org').error!.issues[0]!.message).toBe('must be an https:// URL');
  });
});
