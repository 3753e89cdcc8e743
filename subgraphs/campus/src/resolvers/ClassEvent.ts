import type { CampusContext } from '../context.ts';
import type { ClassEvent as ClassEventRow } from '../generated/prisma/client.ts';
import { occurrencesOfEvents, type RangeArgs } from './occurrences.ts';

export const ClassEvent = {
  class: (e: ClassEventRow, _: unknown, ctx: CampusContext) => ctx.loaders.programClass.load(e.classId),
  occurrences: (e: ClassEventRow, range: RangeArgs, ctx: CampusContext) => occurrencesOfEvents([e], range, ctx),
};
