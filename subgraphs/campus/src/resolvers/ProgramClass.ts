import type { PageArgs } from '@pathway/kit';
import type { CampusContext } from '../context.ts';
import type { EnrollmentStatus, ProgramClass as ProgramClassRow } from '../generated/prisma/client.ts';

interface EnrollmentsArgs extends PageArgs {
  status?: EnrollmentStatus | null;
}

export const ProgramClass = {
  __resolveReference: (ref: { id: string }, ctx: CampusContext) => ctx.loaders.programClass.load(ref.id),
  program: (c: ProgramClassRow, _: unknown, ctx: CampusContext) => ctx.loaders.program.load(c.programId),
  facility: (c: ProgramClassRow, _: unknown, ctx: CampusContext) => ctx.loaders.facility.load(c.facilityId),
  enrollments: (c: ProgramClassRow, args: EnrollmentsArgs, ctx: CampusContext) =>
    ctx.loaders.enrollmentsOfClass.load({ key: c.id, page: { first: args.first, after: args.after }, filter: { status: args.status ?? null } }),
};
