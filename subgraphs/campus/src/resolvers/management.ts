import { publishFacilityChanged, publishProgramChanged, publishPromoted, publishEnrollmentChanged } from '../events.ts';
import type { MutationResolvers } from '../generated/graphql.ts';
import { cancelFacilityDay, uncancelFacilityDay } from '../writes/closures.ts';
import { archiveFacility, createFacility, reactivateFacility, updateFacility } from '../writes/facilities.ts';
import { archiveProgram, createProgram, deleteProgram, reactivateProgram, setProgramOffered, updateProgram } from '../writes/programs.ts';
import { archiveRoom, createRoom, setEventRoom, updateRoom } from '../writes/rooms.ts';
import { acceptSeatOffer, checkEnrollees, enrollOrWaitlist, leaveWaitlist } from '../writes/waitlist.ts';
import type { ResolverContext } from '../context.ts';
import type { ProgramRow } from '../data/programs.ts';
import { toRow } from '../data/waitlist.ts';

type Facility = Awaited<ReturnType<typeof createFacility>>;
type Program = { program: ProgramRow; action: string; facilityId: string | null };

/** Facility changes: the write, its change log line and event in one transaction; the loaders learn the new row. */
const facilityChange =
  (ctx: ResolverContext) => async (write: (tx: Parameters<Parameters<ResolverContext['db']['run']>[0]>[0]) => Promise<Facility>) => {
    const { facility } = await ctx.db.run(async (tx) => {
      const result = await write(tx);
      await publishFacilityChanged(ctx.events.within(tx), result.facility, result.action);
      return result;
    });
    ctx.loaders.facility.clear(facility.id).prime(facility.id, facility);
    return { facility, facilityId: facility.id };
  };

const programChange =
  (ctx: ResolverContext) => async (write: (tx: Parameters<Parameters<ResolverContext['db']['run']>[0]>[0]) => Promise<Program>) => {
    const { program } = await ctx.db.run(async (tx) => {
      const result = await write(tx);
      await publishProgramChanged(ctx.events.within(tx), result.program, result.action, result.facilityId);
      return result;
    });
    ctx.loaders.program.clear(program.id);
    // Read back through the loader: a caller who may no longer see the program gets null, with its id.
    return { program: await ctx.loaders.program.load(program.id), programId: program.id };
  };

/** Mutations of issue 14 (management): thin, the logic is in writes/. */
export const managementMutations: MutationResolvers = {
  createFacility: (_, { input }, ctx) => facilityChange(ctx)((tx) => createFacility(tx, ctx.identity, input)),
  updateFacility: (_, { id, input }, ctx) => facilityChange(ctx)((tx) => updateFacility(tx, ctx.identity, id, input)),
  archiveFacility: (_, { id, reason }, ctx) => facilityChange(ctx)((tx) => archiveFacility(tx, ctx.identity, id, reason)),
  reactivateFacility: (_, { id }, ctx) => facilityChange(ctx)((tx) => reactivateFacility(tx, ctx.identity, id)),

  createProgram: (_, { input }, ctx) => programChange(ctx)((tx) => createProgram(tx, ctx.identity, input)),
  updateProgram: (_, { id, input }, ctx) => programChange(ctx)((tx) => updateProgram(tx, ctx.identity, id, input)),
  archiveProgram: (_, { id, reason }, ctx) => programChange(ctx)((tx) => archiveProgram(tx, ctx.identity, id, reason)),
  reactivateProgram: (_, { id }, ctx) => programChange(ctx)((tx) => reactivateProgram(tx, ctx.identity, id)),
  setProgramOffered: (_, args, ctx) =>
    programChange(ctx)((tx) => setProgramOffered(tx, ctx.identity, args.programId, args.facilityId, args.offered)),
  async deleteProgram(_, { id, reason }, ctx) {
    const result = await ctx.db.run(async (tx) => {
      const deleted = await deleteProgram(tx, ctx.identity, id, reason);
      await publishProgramChanged(ctx.events.within(tx), deleted.program, deleted.action, null);
      return deleted;
    });
    ctx.loaders.program.clear(id);
    return { deletedProgramId: result.program.id, deletedClasses: result.deletedClasses };
  },

  async enrollOrWaitlist(_, { classId, userIds }, ctx) {
    const enrollees = await checkEnrollees(ctx.db, ctx.identity, ctx.references, classId, userIds);
    const { created, waitlisted } = await ctx.db.run(async (tx) => {
      const result = await enrollOrWaitlist(tx, ctx.identity, enrollees);
      for (const enrollment of result.created) await publishEnrollmentChanged(ctx.events.within(tx), enrollment, null);
      return result;
    });
    for (const enrollment of created) ctx.loaders.enrollment.prime(enrollment.id, enrollment);
    return { enrolled: created, waitlisted: waitlisted.map(toRow) };
  },
  async acceptSeatOffer(_, { entryId }, ctx) {
    return ctx.db.run(async (tx) => {
      const result = await acceptSeatOffer(tx, ctx.identity, entryId);
      await publishEnrollmentChanged(ctx.events.within(tx), result.enrollment, null);
      return { ...result, entry: toRow(result.entry) };
    });
  },
  declineSeatOffer: (_, { entryId, reason }, ctx) =>
    ctx.db.run(async (tx) => {
      const result = await leaveWaitlist(tx, ctx.identity, entryId, reason, true);
      await publishPromoted(ctx.events.within(tx), result.promoted);
      return { ...result, entry: toRow(result.entry) };
    }),
  leaveWaitlist: (_, { entryId, reason }, ctx) =>
    ctx.db.run(async (tx) => {
      const result = await leaveWaitlist(tx, ctx.identity, entryId, reason, false);
      await publishPromoted(ctx.events.within(tx), result.promoted);
      return { ...result, entry: toRow(result.entry) };
    }),

  async createRoom(_, { facilityId, input }, ctx) {
    const room = await ctx.db.run((tx) => createRoom(tx, ctx.identity, facilityId, input));
    return { room, roomId: room.id };
  },
  async updateRoom(_, { id, input }, ctx) {
    const room = await ctx.db.run((tx) => updateRoom(tx, ctx.identity, id, input));
    return { room, roomId: room.id };
  },
  async archiveRoom(_, { id }, ctx) {
    const room = await ctx.db.run((tx) => archiveRoom(tx, ctx.identity, id));
    return { room, roomId: room.id };
  },
  async setEventRoom(_, { eventId, roomId }, ctx) {
    const event = await ctx.db.run((tx) => setEventRoom(tx, ctx.identity, eventId, roomId));
    ctx.loaders.classEvent.clear(event.id).prime(event.id, event);
    return event;
  },

  cancelFacilityDay: (_, { facilityId, date, reason }, ctx) =>
    ctx.db.run(async (tx) => {
      const result = await cancelFacilityDay(tx, ctx.identity, facilityId, date, reason);
      await publishFacilityChanged(ctx.events.within(tx), { id: facilityId, tenantId: result.closure.tenantId }, 'facility.closed');
      return result;
    }),
  uncancelFacilityDay: (_, { facilityId, date }, ctx) =>
    ctx.db.run(async (tx) => {
      const result = await uncancelFacilityDay(tx, ctx.identity, facilityId, date);
      await publishFacilityChanged(ctx.events.within(tx), { id: facilityId, tenantId: result.closure.tenantId }, 'facility.reopened');
      return result;
    }),
};
