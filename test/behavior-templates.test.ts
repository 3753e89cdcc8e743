import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes } from './support/client.ts';
import { behaviorWorld, ok, ownerDb, run, type BehaviorWorld } from './support/behavior.ts';

// Communication templates: {{variables}} checked when saved, admins only, per tenant.
const CREATE = `mutation($input: CommunicationTemplateInput!) { createCommunicationTemplate(input: $input) { id name channel variables createdBy { id } } }`;
const UPDATE = `mutation($id: UUID!, $input: UpdateCommunicationTemplateInput!) { updateCommunicationTemplate(id: $id, input: $input) { id body variables } }`;

let w: BehaviorWorld;
let db: pg.Client;
let count: (sql: string, params?: unknown[]) => Promise<number>;
beforeAll(async () => {
  w = await behaviorWorld();
  ({ db, count } = await ownerDb());
});
afterAll(() => db?.end());

const template = (over: Record<string, unknown> = {}) => ({
  name: `Request opened ${randomUUID().slice(0, 6)}`,
  templateType: 'request_opened',
  channel: 'email',
  subject: 'About {{student.firstName}}',
  body: 'Dear {{ guardian.firstName }}, a {{request.behaviorType}} request was opened for {{student.firstName}}.',
  ...over,
});
const templates = () => count('SELECT count(*) n FROM behavior.communication_templates WHERE tenant_id = $1', [w.t.id]);

describe('communication templates', () => {
  it('an admin saves a template; its variables are recorded; an update is checked again', async () => {
    const made = await ok(w.admin, CREATE, { input: template() });
    expect(made.createCommunicationTemplate).toMatchObject({
      channel: 'email',
      variables: ['student.firstName', 'guardian.firstName', 'request.behaviorType'],
      createdBy: { id: w.admin.id },
    });
    const id = made.createCommunicationTemplate.id;
    const changed = await ok(w.admin, UPDATE, { id, input: { body: 'Hello {{guardian.lastName}}' } });
    expect(changed.updateCommunicationTemplate.variables).toEqual(['student.firstName', 'guardian.lastName']);
    const bad = await run(w.admin, UPDATE, { id, input: { body: 'Hello {{guardian.ssn}}' } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: { body: expect.stringContaining('guardian.ssn') },
    });
    const listed = await ok(w.admin, `{ communicationTemplates { id } }`);
    expect(listed.communicationTemplates).toContainEqual({ id });
    // Another tenant's admin sees none of them and cannot change them.
    expect((await ok(w.foreignAdmin, `{ communicationTemplates { id } }`)).communicationTemplates).not.toContainEqual({ id });
    expect(codes(await run(w.foreignAdmin, UPDATE, { id, input: { body: 'x' } }))).toEqual(['NOT_FOUND']);
    expect((await db.query('SELECT body FROM behavior.communication_templates WHERE id = $1', [id])).rows[0].body).toBe(
      'Hello {{guardian.lastName}}',
    );
  });

  it('refuses unknown variables, broken braces, a bad channel, a taken name and the wrong roles, saving nothing', async () => {
    const before = await templates();
    for (const [over, field] of [
      [{ body: 'Hi {{student.ssn}}' }, 'body'],
      [{ body: 'Hi {{student.firstName}' }, 'body'],
      [{ subject: '{{nope}}' }, 'subject'],
      [{ subject: null }, 'subject'],
      [{ channel: 'fax' }, 'channel'],
      [{ templateType: 'Request Opened' }, 'templateType'],
    ] as const) {
      const res = await run(w.admin, CREATE, { input: template(over) });
      expect({ over, codes: codes(res) }).toEqual({ over, codes: ['BAD_USER_INPUT'] });
      expect(res.errors![0]!.extensions!.fieldErrors).toHaveProperty(field);
    }
    const taken = template();
    await ok(w.admin, CREATE, { input: taken });
    const again = await run(w.admin, CREATE, { input: taken });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'DUPLICATE' });
    for (const who of [w.teacher, w.guardian])
      expect({ who: who.role, codes: codes(await run(who, CREATE, { input: template() })) }).toEqual({
        who: who.role,
        codes: ['FORBIDDEN'],
      });
    expect(codes(await run(w.teacher, UPDATE, { id: randomUUID(), input: { body: 'x' } }))).toEqual(['FORBIDDEN']);
    expect(codes(await run(w.admin, UPDATE, { id: randomUUID(), input: { body: 'x' } }))).toEqual(['NOT_FOUND']);
    expect(await templates()).toBe(before + 1);
  });
});
