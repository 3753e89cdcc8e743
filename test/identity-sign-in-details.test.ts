import { describe, expect, it } from 'vitest';
import { seed } from './support/seed.ts';

// Sign-in details (User.lastLoginAt, loginCount, lockedUntil) need identity.user.read_security or
// being the person: a resident once read a classmate's and their teacher's last sign-in.
const SIGN_IN = `query($id: UUID!) { user(id: $id) { id displayName lastLoginAt loginCount lockedUntil } }`;
type Answer = { user: { id: string; lastLoginAt: string | null; loginCount: number | null } | null };

describe('sign-in details of other people', () => {
  it('are denied field by field to residents and staff, shown to the person and to administrators', async () => {
    const facility = await (await seed.tenant()).facility();
    const [resident, classmate, teacher, admin] = await Promise.all([
      facility.resident(),
      facility.resident(),
      facility.staff(),
      facility.facilityAdmin(),
    ]);
    await Promise.all([classmate.api(), teacher.api()]); // both have signed in, so there is a last sign-in to leak

    for (const reader of [resident, teacher]) {
      const other = reader === teacher ? classmate : teacher;
      const answer = await (await reader.api()).gql<Answer>(SIGN_IN, { id: other.id });
      expect(answer.data?.user?.id).toBe(other.id); // the person is visible…
      expect(answer.data?.user?.lastLoginAt).toBeNull(); // …their sign-in details are not
      expect(answer.data?.user?.loginCount).toBeNull();
      const denied = (answer.errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN').map((e) => e.path?.at(-1));
      expect(denied).toEqual(expect.arrayContaining(['lastLoginAt', 'loginCount', 'lockedUntil']));
    }

    const own = await (await classmate.api()).gql<Answer>(SIGN_IN, { id: classmate.id });
    expect(own.data?.user?.lastLoginAt).toEqual(expect.any(String));
    const byAdmin = await (await admin.api()).gql<Answer>(SIGN_IN, { id: classmate.id });
    expect(byAdmin.errors).toBeUndefined();
    expect(byAdmin.data?.user?.lastLoginAt).toEqual(expect.any(String));
  });
});
