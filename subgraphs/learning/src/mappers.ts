/**
 * The parent type behind each GraphQL type whose resolvers receive something other than the
 * generated type (codegen.ts reads every `…Mapper` here): Prisma rows, and references to entities
 * other subgraphs own.
 */
import type { Course, CourseEnrollment } from './generated/prisma/client.ts';
import type { PlatformRow } from './data/providers.ts';

export type CourseMapper = Course;
/** A platform row without its encrypted access key (never read by the API). */
export type ProviderPlatformMapper = PlatformRow;
export type CourseEnrollmentMapper = CourseEnrollment;
/** identity owns the person: learning hangs its fields on the id. */
export type UserMapper = { id: string };
