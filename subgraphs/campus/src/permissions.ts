import { allow, and, can, isAuthenticated, isSelf, or, relation, rowVisible, visibleRow, type RuleTree } from '@pathway/kit';
import * as access from './access.ts';
import type { CampusContext } from './context.ts';
import type { ClassChange } from './generated/prisma/client.ts';

/**
 * Row rules say "may see this row" with the entity's access filter (access.ts), decided on the row
 * or by the request's batched confirm loader (`ctx.loaders.visible`); catalog permissions stay beside them.
 */
const facilityVisible = and(
  can('campus.facility.read'),
  visibleRow(access.facility, (ctx: CampusContext) => ctx.loaders.visible.facility),
);
const programVisible = and(
  can('campus.program.read'),
  visibleRow(access.program, (ctx: CampusContext) => ctx.loaders.visible.program),
);
const classVisible = visibleRow(access.programClass, (ctx: CampusContext) => ctx.loaders.visible.programClass);
const classRoster = and(
  classVisible,
  visibleRow(access.classRoster, (ctx: CampusContext) => ctx.loaders.visible.classRoster),
);
const enrollmentVisible = visibleRow(access.classEnrollment, (ctx: CampusContext) => ctx.loaders.visible.classEnrollment);
const attendanceVisible = visibleRow(access.attendance, (ctx: CampusContext) => ctx.loaders.visible.attendance);
const eventVisible = visibleRow(access.classEvent, (ctx: CampusContext) => ctx.loaders.visible.classEvent);
/** A change log line is visible with its class's roster. */
const changeVisible = relation<ClassChange, CampusContext>('classChangeVisible', (change, ctx) =>
  rowVisible(access.classRoster, ctx.identity, access.classOfChange(change), ctx.loaders.visible.classRoster),
);
const aggregates = can('campus.attendance.aggregate.read');
const isThisUser = isSelf<{ id: string }>('campusUser', (u) => u.id);
const roomVisible = visibleRow(access.room, (ctx: CampusContext) => ctx.loaders.management.visible.room);
const waitlistVisible = visibleRow(access.waitlistEntry, (ctx: CampusContext) => ctx.loaders.management.visible.waitlistEntry);
const closureVisible = visibleRow(access.facilityClosure, (ctx: CampusContext) => ctx.loaders.management.visible.facilityClosure);
const manageFacilities = can('campus.facility.manage');
const managePrograms = can('campus.program.manage');
const manageRooms = can('campus.room.manage');

/** Issue 14's types: objects that only come from fields and mutations already decided, or rows with their own rule. */
const managementTypes: RuleTree = {
  Room: { '*': roomVisible, schedule: and(roomVisible, can('campus.room.read')) },
  WaitlistEntry: waitlistVisible,
  FacilityClosure: closureVisible,
  ...Object.fromEntries(
    [
      'FacilityChangedEvent',
      'ProgramChangedEvent',
      'CatalogChange',
      'CatalogChangeConnection',
      'CatalogChangeEdge',
      'RoomConnection',
      'RoomEdge',
      'WaitlistEntryConnection',
      'WaitlistEntryEdge',
      'FacilityPayload',
      'ProgramPayload',
      'DeleteProgramPayload',
      'EnrollOrWaitlistPayload',
      'WaitlistPayload',
      'RoomPayload',
      'FacilityClosurePayload',
      'ProgramStats',
      'ProgramsExport',
      'FacilityDashboard',
      'DepartmentDashboard',
      'AttendanceGap',
      'MonthTrend',
      'ResidentEngagement',
    ].map((type) => [type, isAuthenticated]),
  ),
};

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
    // Personal reports: the data function also requires the class's roster (access.classRoster).
    classRosterReport: can('campus.enrollment.read'),
    classAttendanceReport: can('campus.enrollment.read'),
    // Counts only, scoped by the kit's `aggregateFilter`.
    programOutcomesReport: aggregates,
    facilityComparisonReport: aggregates,
    room: can('campus.room.read'),
    // The loader returns only your own places or those of classes whose roster you may read.
    waitlistEntry: isAuthenticated,
    programsExport: can('campus.program.read'),
    facilityDashboard: can('campus.dashboard.read'),
    departmentDashboard: can('campus.dashboard.read'),
  },
  ...managementTypes,
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
    rooms: and(facilityVisible, can('campus.room.read')),
    history: and(facilityVisible, manageFacilities),
    closures: and(facilityVisible, can('campus.class.read')),
  },
  Program: {
    '*': programVisible,
    attendanceRate: and(programVisible, aggregates),
    history: and(programVisible, or(managePrograms, can('campus.program.offer'))),
    stats: and(programVisible, aggregates),
  },
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
    createFacility: manageFacilities,
    updateFacility: manageFacilities,
    archiveFacility: manageFacilities,
    reactivateFacility: manageFacilities,
    createProgram: managePrograms,
    updateProgram: managePrograms,
    archiveProgram: managePrograms,
    reactivateProgram: managePrograms,
    deleteProgram: managePrograms,
    setProgramOffered: can('campus.program.offer'),
    enrollOrWaitlist: can('campus.enrollment.manage'),
    // Your own place, or with campus.enrollment.manage anyone's in reach: the write decides.
    acceptSeatOffer: isAuthenticated,
    declineSeatOffer: isAuthenticated,
    leaveWaitlist: isAuthenticated,
    createRoom: manageRooms,
    updateRoom: manageRooms,
    archiveRoom: manageRooms,
    setEventRoom: manageRooms,
    cancelFacilityDay: can('campus.class.manage'),
    uncancelFacilityDay: can('campus.class.manage'),
  },
  ProgramClass: {
    '*': classVisible,
    changeLog: classRoster,
    missingAttendance: classRoster,
    waitlist: classRoster,
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
    waitlistEntries: or(isThisUser, can('campus.enrollment.read')),
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
