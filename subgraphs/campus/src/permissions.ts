import { rule } from 'graphql-shield';
import { allow, and, can, inReach, isAuthenticated, isSelf, or, reachOf, relation, type RuleTree } from '@pathway/kit';
import type { CampusContext } from './context.ts';
import type { ProgramRow } from './data/programs.ts';
import type { Attendance, ClassChange, ClassEnrollment, ClassEvent, Facility, ProgramClass } from './generated/prisma/client.ts';

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

/** The caller teaches the row's class (class_instructors). */
const teaches = <P>(name: string, classOf: (row: P) => string) =>
  relation<P, CampusContext>(`teaches:${name}`, (row, ctx) => ctx.loaders.teachesClass.load(classOf(row)));
/** Another person's roster row: administrators for every class in reach, staff for the classes they teach. */
const rosterOf = <P>(name: string, classOf: (row: P) => string) => or(can('campus.roster.read_all'), teaches<P>(name, classOf));

const facilityVisible = and(
  can('campus.facility.read'),
  inReach<Facility>('facility', (f) => ({ tenantId: f.tenantId, facilityId: f.id })),
);
const programVisible = and(can('campus.program.read'), programInReach);
const classVisible = or(
  and(
    can('campus.class.read'),
    inReach<ProgramClass>('programClass', (c) => c),
  ),
  enrolledInClass,
);
const enrollmentVisible = or(
  isSelf<ClassEnrollment>('enrollmentOwner', (e) => e.userId),
  and(
    can('campus.enrollment.read'),
    inReach<ClassEnrollment>('enrollment', (e) => e),
    rosterOf<ClassEnrollment>('enrollment', (e) => e.classId),
  ),
);
const attendanceVisible = or(
  isSelf<Attendance>('attendanceOwner', (a) => a.userId),
  and(
    can('campus.enrollment.read'),
    inReach<Attendance>('attendance', (a) => a),
    rosterOf<Attendance>('attendance', (a) => a.classId),
  ),
);
const eventVisible = or(
  and(
    can('campus.class.read'),
    inReach<ClassEvent>('classEvent', (e) => e),
  ),
  relation<ClassEvent, CampusContext>('enrolledInEventClass', (e, ctx) => ctx.loaders.enrolledByMe.load(e.classId)),
);
const classRoster = and(
  classVisible,
  can('campus.enrollment.read'),
  rosterOf<ProgramClass>('class', (c) => c.id),
);
const aggregates = can('campus.attendance.aggregate.read');
const isThisUser = isSelf<{ id: string }>('campusUser', (u) => u.id);

const changeVisible = and(
  can('campus.enrollment.read'),
  inReach<ClassChange>('classChange', (c) => c),
  rosterOf<ClassChange>('classChange', (c) => c.classId),
);

export const permissions: RuleTree = {
  Query: {
    facility: can('campus.facility.read'),
    facilities: can('campus.facility.read'),
    program: can('campus.program.read'),
    programs: can('campus.program.read'),
    // Your own classes stay visible without the catalog permission; the type rules decide per class.
    programClass: isAuthenticated,
    // The loader returns only enrollments the caller may see; the type rules decide per field.
    classEnrollment: isAuthenticated,
    programClasses: can('campus.class.read'),
    // Rows are cut to the enrollments the caller may see in the data function.
    scheduleConflicts: can('campus.enrollment.read'),
    // Personal reports: the resolver also requires the class in reach and read_all or teaching it.
    classRosterReport: can('campus.enrollment.read'),
    classAttendanceReport: can('campus.enrollment.read'),
    // Counts only, scoped by the kit's `aggregateFilter`.
    programOutcomesReport: aggregates,
    facilityComparisonReport: aggregates,
  },
  // Report objects come only from the report queries above, which already decided who may see them.
  ClassRosterReport: isAuthenticated,
  ClassRosterRow: isAuthenticated,
  ClassAttendanceReport: isAuthenticated,
  ClassAttendanceRow: isAuthenticated,
  ProgramOutcomesReport: isAuthenticated,
  ProgramOutcomeRow: isAuthenticated,
  FacilityComparisonReport: isAuthenticated,
  FacilityComparisonRow: isAuthenticated,
  // The gateway delivers events by looking the entity up with the subscriber's identity.
  Subscription: isAuthenticated,
  EnrollmentChangedEvent: isAuthenticated,
  ClassStatusChangedEvent: isAuthenticated,
  Facility: {
    '*': facilityVisible,
    programs: and(facilityVisible, can('campus.program.read')),
    classes: and(facilityVisible, can('campus.class.read')),
    attendanceRate: and(facilityVisible, aggregates),
  },
  Program: { '*': programVisible, attendanceRate: and(programVisible, aggregates) },
  Mutation: {
    createProgramClass: can('campus.class.manage'),
    updateProgramClass: can('campus.class.manage'),
    changeProgramClassStatus: can('campus.class.manage'),
    enrollResidents: can('campus.enrollment.manage'),
    changeEnrollmentStatus: can('campus.enrollment.manage'),
    createClassEvent: can('campus.class.manage'),
    cancelOccurrence: can('campus.class.manage'),
    changeOccurrence: can('campus.class.manage'),
    // Staff pass here; the data function then requires that they teach the class.
    takeAttendance: can('campus.attendance.manage'),
    assignInstructor: can('campus.class.manage'),
    removeInstructor: can('campus.class.manage'),
  },
  ProgramClass: {
    '*': classVisible,
    changeLog: classRoster,
    missingAttendance: classRoster,
    attendanceRate: or(and(classVisible, aggregates), classRoster),
  },
  ClassEvent: eventVisible,
  // Occurrences come only from fields and mutations already checked (a visible class or event).
  ClassOccurrence: isAuthenticated,
  Attendance: attendanceVisible,
  AttendanceSummary: isAuthenticated,
  ScheduleConflict: isAuthenticated,
  AttendanceConnection: isAuthenticated,
  AttendanceEdge: isAuthenticated,
  ClassEnrollment: { '*': enrollmentVisible, changeLog: and(enrollmentVisible, can('campus.enrollment.read')) },
  ClassChange: changeVisible,
  ClassChangeConnection: isAuthenticated,
  ClassChangeEdge: isAuthenticated,
  User: {
    '*': isAuthenticated,
    // The rows themselves are cut to the caller's reach in the data function.
    enrollments: or(isThisUser, can('campus.enrollment.read')),
    attendance: or(isThisUser, can('campus.enrollment.read')),
    attendanceRate: or(isThisUser, can('campus.enrollment.read')),
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
