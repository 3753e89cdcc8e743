import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admission } from '../src/admission.ts';

// The gateway's admission control: a bounded number of operations at once, the rest in arrival
// order, a refusal (503 SERVICE_UNAVAILABLE, Retry-After) only for one that waited too long.
const gate = admission({ maxInFlight: 2, maxWaitMs: 300 });
const holds = new Map<string, () => void>();
const order: string[] = [];
let server: http.Server;
let url: string;

beforeAll(async () => {
  const app = express();
  app.use('/op', gate, (req, res) => {
    const name = String(req.query.name);
    order.push(name);
    // Each operation answers when the test lets it (or at once when told so).
    if (req.query.now) return void res.json({ name });
    holds.set(name, () => res.json({ name }));
  });
  server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/op`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

describe('gateway admission control', () => {
  it('runs at most maxInFlight at once and the waiting ones in arrival order', async () => {
    const a = fetch(`${url}?name=a`);
    const b = fetch(`${url}?name=b`);
    await until(() => holds.has('a') && holds.has('b'));
    const c = fetch(`${url}?name=c`);
    await until(() => gate.waiting === 1);
    const d = fetch(`${url}?name=d&now=1`);
    await until(() => gate.waiting === 2);
    expect(order).toEqual(['a', 'b']);
    holds.get('a')!();
    await until(() => holds.has('c'));
    holds.get('b')!();
    expect((await (await d).json()).name).toBe('d');
    holds.get('c')!();
    expect(await Promise.all([a, b, c].map(async (r) => (await (await r).json()).name))).toEqual(['a', 'b', 'c']);
    expect(order).toEqual(['a', 'b', 'c', 'd']);
    expect(gate.inFlight).toBe(0);
  });

  it('refuses with 503 SERVICE_UNAVAILABLE and Retry-After an operation that waited past maxWaitMs, and runs nothing for it', async () => {
    holds.clear();
    order.length = 0;
    const a = fetch(`${url}?name=a`);
    const b = fetch(`${url}?name=b`);
    await until(() => holds.has('a') && holds.has('b'));
    const late = await fetch(`${url}?name=late&now=1`);
    expect(late.status).toBe(503);
    expect(late.headers.get('retry-after')).toBe('1');
    const body = await late.json();
    expect(body.errors[0].extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 1 });
    expect(order).toEqual(['a', 'b']);
    holds.get('a')!();
    holds.get('b')!();
    await Promise.all([a, b]);
    await until(() => gate.inFlight === 0 && gate.waiting === 0);
  });
});
