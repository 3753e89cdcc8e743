import type { BehaviorContext } from '../context.ts';
import type { Student as StudentRow } from '../generated/prisma/client.ts';

export const Student = {
  __resolveReference: (ref: { id: string }, ctx: BehaviorContext) => ctx.loaders.student.load(ref.id),
  // A DATE column arrives as UTC midnight; LocalDate wants the calendar day only.
  birthDate: (s: StudentRow) => s.birthDate?.toISOString().slice(0, 10) ?? null,
  family: (s: StudentRow, _: unknown, ctx: BehaviorContext) => (s.familyId ? ctx.loaders.family.load(s.familyId) : null),
  facility: (s: StudentRow) => (s.facilityId ? { __typename: 'Facility', id: s.facilityId } : null),
  user: (s: StudentRow) => (s.userId ? { __typename: 'User', id: s.userId } : null),
};
