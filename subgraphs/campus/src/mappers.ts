import type { Connection } from '@pathway/kit';
import type { ProgramRow } from './data/programs.ts';
import type { Attendance, ClassChange, ClassEnrollment, ClassEvent, Facility, ProgramClass } from './generated/prisma/client.ts';
import type { Occurrence } from './schedule.ts';

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
