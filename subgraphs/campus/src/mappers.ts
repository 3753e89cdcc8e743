import type { Connection } from '@pathway/kit';
import type { ProgramRow } from './data/programs.ts';
import type { EngagementCounts } from './data/dashboard.ts';
import type { ProgramCounts } from './data/program-stats.ts';
import type { WaitlistRow } from './data/waitlist.ts';
import type {
  Attendance,
  CatalogChange,
  ClassChange,
  ClassEnrollment,
  ClassEvent,
  Facility,
  FacilityClosure,
  ProgramClass,
  Room,
} from './generated/prisma/client.ts';
import type { Occurrence } from './schedule.ts';
import type { AttendanceReport, RosterReport } from './resolvers/reports.ts';

/**
 * What each GraphQL type's resolvers receive as their parent (codegen.ts reads every `…Mapper`
 * here): the rows the data layer returns, computed occurrences, and the kit's connections.
 */
export type FacilityMapper = Facility;
export type ProgramMapper = ProgramRow;
export type ProgramClassMapper = ProgramClass;
export type ClassEnrollmentMapper = ClassEnrollment;
export type ClassChangeMapper = ClassChange;
export type ClassEventMapper = ClassEvent;
export type ClassOccurrenceMapper = Occurrence;
export type AttendanceMapper = Attendance;
/** identity owns User: campus holds only a reference and adds fields to it. */
export type UserMapper = { id: string };

export type FacilityConnectionMapper = Connection<Facility>;
export type ProgramConnectionMapper = Connection<ProgramRow>;
export type ProgramClassConnectionMapper = Connection<ProgramClass>;
export type ClassEnrollmentConnectionMapper = Connection<ClassEnrollment>;
export type ClassChangeConnectionMapper = Connection<ClassChange>;
export type AttendanceConnectionMapper = Connection<Attendance>;

export type RoomMapper = Room;
export type WaitlistEntryMapper = WaitlistRow;
export type FacilityClosureMapper = FacilityClosure;
export type CatalogChangeMapper = CatalogChange;
export type ProgramStatsMapper = ProgramCounts;
/** A dashboard is its facility and the local date it shows. */
export type FacilityDashboardMapper = { facility: Facility; date: string };
export type DepartmentDashboardMapper = { facilities: FacilityDashboardMapper[] };
export type AttendanceGapMapper = { classId: string; occurrences: Occurrence[] };
export type ResidentEngagementMapper = EngagementCounts;
export type ClassRosterReportMapper = RosterReport;
export type ClassAttendanceReportMapper = AttendanceReport;
export type RoomConnectionMapper = Connection<Room>;
export type WaitlistEntryConnectionMapper = Connection<WaitlistRow>;
export type CatalogChangeConnectionMapper = Connection<CatalogChange>;
