import { rule } from 'graphql-shield';
import { allow, and, can, inReach, isAuthenticated, isSelf, or, reachOf, type RuleTree } from '@pathway/kit';
import type { CampusContext } from './context.ts';
import type { ProgramRow } from './data/programs.ts';
import type { ClassEnrollment, Facility, ProgramClass } from './generated/prisma/client.ts';

/** A program has no facility of its own: a facility-bound caller reaches it when their facility offers it. */
const programInReach = rule('programInReach', { cache: 'strict' })(async (program: ProgramRow, _a, ctx: CampusContext) => {
  const identity = ctx.identity;
  if (!identity) return false;
  switch (reachOf(identity)) {
    case 'system':
      return true;
    case 'tenant':
      return program.tenantId === identity.tenantId;
    case 'facility':
      return program.tenantId === identity.tenantId && ctx.loaders.offeredAtMyFacility.load(program.id);
  }
});

/** The caller is enrolled in the class: they may see it even from another facility (after a transfer). */
const enrolledInClass = rule('enrolledInClass', { cache: 'strict' })((programClass: ProgramClass, _a, ctx: CampusContext) =>
  ctx.identity ? ctx.loaders.enrolledByMe.load(programClass.id) : false,
);

const facilityVisible = and(can('campus.facility.read'), inReach<Facility>('facility', (f) => ({ tenantId: f.tenantId, facilityId: f.id })));
const programVisible = and(can('campus.program.read'), programInReach);
const classVisible = or(and(can('campus.class.read'), inReach<ProgramClass>('programClass', (c) => c)), enrolledInClass);
const enrollmentVisible = or(
  isSelf<ClassEnrollment>('enrollmentOwner', (e) => e.userId),
  and(can('campus.enrollment.read'), inReach<ClassEnrollment>('enrollment', (e) => e)),
);

export const permissions: RuleTree = {
  Query: {
    facility: can('campus.facility.read'),
    facilities: can('campus.facility.read'),
    program: can('campus.program.read'),
    programs: can('campus.program.read'),
    // Your own classes stay visible without the catalog permission; the type rules decide per class.
    programClass: isAuthenticated,
    programClasses: can('campus.class.read'),
  },
  Facility: { '*': facilityVisible, programs: and(facilityVisible, can('campus.program.read')) },
  Program: programVisible,
  ProgramClass: classVisible,
  ClassEnrollment: enrollmentVisible,
  User: {
    '*': isAuthenticated,
    // The rows themselves are cut to the caller's reach in the data function.
    enrollments: or(isSelf<{ id: string }>('campusUser', (u) => u.id), can('campus.enrollment.read')),
  },
  FacilityConnection: isAuthenticated,
  FacilityEdge: isAuthenticated,
  ProgramConnection: isAuthenticated,
  ProgramEdge: isAuthenticated,
  ProgramClassConnection: isAuthenticated,
  ProgramClassEdge: isAuthenticated,
  ClassEnrollmentConnection: isAuthenticated,
  ClassEnrollmentEdge: isAuthenticated,
  PageInfo: allow,
};
