import type { BehaviorContext } from '../context.ts';
import type { StudentResolvers } from '../generated/graphql.ts';
import { studentPatterns } from '../data/patterns.ts';

export const Student: StudentResolvers = {
  __resolveReference: (ref, ctx: BehaviorContext) => ctx.loaders.student.load(ref.id),
  // A DATE column arrives as UTC midnight; LocalDate wants the calendar day only.
  birthDate: (s) => s.birthDate?.toISOString().slice(0, 10) ?? null,
  family: (s, _, ctx) => (s.familyId ? ctx.loaders.family.load(s.familyId) : null),
  facility: (s) => (s.facilityId ? { id: s.facilityId } : null),
  user: (s) => (s.userId ? { id: s.userId } : null),
  behaviorRequests: (s, args, ctx) =>
    ctx.loaders.requestsOfStudent.load({ key: s.id, page: { first: args.first, after: args.after }, filter: args.status ?? null }),
  // Cancelled requests (opened by mistake) do not count.
  behaviorPatterns: (s, args, ctx) =>
    ctx.db.read((tx) => studentPatterns(tx, s.id, { ...args, timezone: args.timezone ?? s.facilityTimezone })),
  insights: (s, _, ctx) => ctx.loaders.insightsOfStudent.load(s.id),
  interventions: (s, _, ctx) => ctx.loaders.interventionsOfStudent.load(s.id),
  caseload: (s, _, ctx) => ctx.loaders.assignmentsOfStudent.load(s.id),
  changeLog: (s, args, ctx) =>
    ctx.loaders.changesOfStudent.load({ key: s.id, page: { first: args.first, after: args.after }, filter: null }),
};
