import { CountScalar, DateTimeScalar, JSONScalar, LocalDateScalar, UUIDScalar, freshReadsAfterWrites } from '@pathway/kit';
import type { Resolvers } from '../generated/graphql.ts';
import { Attendance } from './Attendance.ts';
import { ClassChange } from './ClassChange.ts';
import { ClassEnrollment } from './ClassEnrollment.ts';
import { ClassEvent } from './ClassEvent.ts';
import { ClassOccurrence } from './ClassOccurrence.ts';
import { Facility } from './Facility.ts';
import { Mutation } from './Mutation.ts';
import { Program } from './Program.ts';
import { ProgramClass } from './ProgramClass.ts';
import { Query } from './Query.ts';
import { User } from './User.ts';
import { Room } from './Room.ts';
import { WaitlistEntry } from './WaitlistEntry.ts';
import { CatalogChange, FacilityClosure } from './FacilityClosure.ts';
import { AttendanceGap, FacilityDashboard, ResidentEngagement } from './FacilityDashboard.ts';
import { ProgramStats } from './ProgramStats.ts';
import { ClassAttendanceReport, ClassRosterReport } from './reports.ts';

export const resolvers: Resolvers = {
  UUID: UUIDScalar,
  DateTime: DateTimeScalar,
  JSON: JSONScalar,
  Count: CountScalar,
  LocalDate: LocalDateScalar,
  Room,
  WaitlistEntry,
  FacilityClosure,
  CatalogChange,
  FacilityDashboard,
  AttendanceGap,
  ResidentEngagement,
  ProgramStats,
  ClassRosterReport,
  ClassAttendanceReport,
  Query,
  Mutation: freshReadsAfterWrites(Mutation),
  Facility,
  Program,
  ProgramClass,
  ClassEnrollment,
  ClassChange,
  ClassEvent,
  ClassOccurrence,
  Attendance,
  User,
};
