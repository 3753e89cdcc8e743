import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signAccessToken } from '@pathway/kit';
import { users } from '../scripts/demo/ids.ts';
import { tokenFor } from './support/client.ts';
import { startExtraGateway, type ExtraGateway } from './support/gateway.ts';
import { collect, wsClient } from './support/subscriptions.ts';

const SUBSCRIBE = 'subscription { assetTransferred { cursor } }';

describe('subscription connections', () => {
  let gateway: ExtraGateway;

  beforeAll(async () => {
    gateway = await startExtraGateway({ MAX_WS_CONNECTIONS_PER_USER: '2' });
  });
  afterAll(() => gateway?.stop());

  it('are limited per person: the connection beyond the limit is closed with 4429, others are not affected', async () => {
    const token = await tokenFor(users.facilityAdmin.username);
    const clients = [wsClient(token, gateway.url), wsClient(token, gateway.url), wsClient(token, gateway.url)];
    try {
      const subscriptions = [];
      for (const client of clients) {
        subscriptions.push(collect(client, SUBSCRIBE));
        await new Promise((r) => setTimeout(r, 200)); // connect one after another
      }
      expect(await subscriptions[2]!.closed).toMatchObject({ code: 4429 });
      // Another person still gets in.
      const other = wsClient(await tokenFor(users.teacher.username), gateway.url);
      const ok = collect(other, SUBSCRIBE);
      const outcome = await Promise.race([ok.closed, new Promise((r) => setTimeout(() => r('open'), 800))]);
      expect(outcome).toBe('open');
      await other.dispose();
    } finally {
      await Promise.all(clients.map((c) => c.dispose()));
    }
  });

  it('are closed with 4401 when the access token expires', async () => {
    const lee = users.residentLee;
    const { token } = await signAccessToken(
      { userId: lee.id, tenantId: lee.tenantId, facilityId: lee.facilityId, roles: ['resident'], sessionId: crypto.randomUUID() },
      inject('secrets').ACCESS_JWT_SECRET,
      2,
    );
    const client = wsClient(token, gateway.url);
    try {
      const subscription = collect(client, SUBSCRIBE);
      expect(await subscription.closed).toMatchObject({ code: 4401 });
    } finally {
      await client.dispose();
    }
  });
});
