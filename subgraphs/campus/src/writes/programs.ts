import { conflict, notFound, reachFilter, rethrowDuplicate, tenantFilter, type Identity, parseInput } from '@pathway/kit';
import { z } from 'zod';
import * as access from '../access.ts';
import type { CreateProgramInput, UpdateProgramInput } from '../generated/graphql.ts';
import { FundingType, ProgramType, type Prisma } from '../generated/prisma/client.ts';
import { changedFields, logCatalogChange } from '../data/catalog-changes.ts';
import type { ProgramRow } from '../data/programs.ts';
import { OPEN_CLASS } from './facilities.ts';

type Tx = Prisma.TransactionClient;

const withTypes = { types: { select: { programType: true } } } satisfies Prisma.ProgramInclude;
const fields = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  description: z.string().trim().max(4000).nullish(),
  fundingType: z.enum(Object.values(FundingType) as [FundingType, ...FundingType[]]).nullish(),
  programTypes: z
    .array(z.enum(Object.values(ProgramType) as [ProgramType, ...ProgramType[]]))
    .max(7)
    .nullish(),
});

const snapshot = (p: ProgramRow) => ({
  name: p.name,
  description: p.description,
  fundingType: p.fundingType,
  programTypes: p.types.map((t) => t.programType).sort(),
  isActive: p.isActive,
  archivedAt: p.archivedAt?.toISOString() ?? null,
});
const log = (
  tx: Tx,
  identity: Identity,
  p: { id: string; tenantId: string },
  action: string,
  extra: Partial<Parameters<typeof logCatalogChange>[1]>,
) => logCatalogChange(tx, { actor: identity, tenantId: p.tenantId, entityType: 'program', entityId: p.id, action, ...extra });

/**
 * A program the caller may see, locked, or NOT_FOUND. `catalog`: any program of the caller's tenant
 * (a facility administrator choosing what their facility offers sees the tenant's whole catalog).
 */
async function lockProgram(tx: Tx, identity: Identity, id: string, catalog = false): Promise<ProgramRow> {
  await tx.$queryRaw`SELECT id FROM programs WHERE id = ${id}::uuid FOR UPDATE`;
  const visible = catalog ? tenantFilter(identity) : access.program.where(identity);
  const found = await tx.program.findFirst({ where: { AND: [{ id }, visible] }, include: withTypes });
  if (!found) throw notFound('The program');
  return found;
}

/** Facilities of the caller's reach among `ids`, each of the program's tenant; BAD_USER_INPUT names the others. */
async function facilitiesInReach(tx: Tx, identity: Identity, tenantId: string, ids: readonly string[]) {
  const unique = [...new Set(ids)];
  const found = await tx.facility.findMany({ where: { AND: [{ id: { in: unique }, tenantId }, reachFilter(identity, 'id')] } });
  const missing = unique.filter((id) => !found.some((f) => f.id === id));
  if (missing.length) throw notFound(`Facilities ${missing.join(', ')}`);
  const archived = found.filter((f) => f.archivedAt);
  if (archived.length)
    throw conflict(`Archived facilities take no programs: ${archived.map((f) => f.name).join(', ')}.`, { reason: 'ARCHIVED' });
  return found;
}

export async function createProgram(tx: Tx, identity: Identity, input: CreateProgramInput) {
  const data = parseInput(fields, input, 'The program');
  // A program belongs to the caller's tenant (a system administrator's: that of the facilities named, if any).
  const first = input.facilityIds?.length
    ? await tx.facility.findFirst({ where: { AND: [{ id: input.facilityIds[0]! }, reachFilter(identity, 'id')] } })
    : null;
  const tenantId = first?.tenantId ?? identity.tenantId;
  const facilities = await facilitiesInReach(tx, identity, tenantId, input.facilityIds ?? []);
  const created = await tx.program
    .create({
      data: {
        tenantId,
        name: data.name,
        description: data.description ?? null,
        fundingType: data.fundingType ?? null,
        createUserId: identity.userId,
        updateUserId: identity.userId,
        types: { create: [...new Set(data.programTypes ?? [])].map((programType) => ({ programType })) },
        facilities: { create: facilities.map((f) => ({ facilityId: f.id })) },
      },
      include: withTypes,
    })
    .catch(rethrowDuplicate('The catalog already has a program of this name.', { name: 'is taken' }));
  await log(tx, identity, created, 'program.created', { after: { ...snapshot(created), facilityIds: facilities.map((f) => f.id) } });
  return { program: created, action: 'program.created', facilityId: null };
}

export async function updateProgram(tx: Tx, identity: Identity, id: string, patch: UpdateProgramInput) {
  const current = await lockProgram(tx, identity, id);
  const given = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  const data = parseInput(fields, { ...current, programTypes: current.types.map((t) => t.programType), ...given }, 'The program');
  if (patch.programTypes != null) {
    await tx.programTypeTag.deleteMany({ where: { programId: id } });
    await tx.programTypeTag.createMany({
      data: [...new Set(patch.programTypes)].map((programType) => ({ programId: id, programType, tenantId: current.tenantId })),
    });
  }
  const updated = await tx.program
    .update({
      where: { id },
      data: {
        name: data.name,
        description: data.description ?? null,
        fundingType: data.fundingType ?? null,
        updateUserId: identity.userId,
      },
      include: withTypes,
    })
    .catch(rethrowDuplicate('The catalog already has a program of this name.', { name: 'is taken' }));
  const diff = changedFields(snapshot(current), snapshot(updated));
  if (diff.changed) await log(tx, identity, current, 'program.updated', diff);
  return { program: updated, action: 'program.updated', facilityId: null };
}

/** Classes of the program still to end, and whether any class of it ever ran (enrollments, or past Scheduled). */
async function usage(tx: Tx, programId: string) {
  const openClasses = await tx.programClass.count({ where: { programId, status: { in: [...OPEN_CLASS] } } });
  const ranClasses = await tx.programClass.count({
    where: { programId, OR: [{ status: { in: ['Active', 'Paused', 'Completed'] } }, { enrollments: { some: {} } }] },
  });
  return { openClasses, ranClasses };
}

export async function archiveProgram(tx: Tx, identity: Identity, id: string, reason: string | null | undefined) {
  const current = await lockProgram(tx, identity, id);
  if (current.archivedAt) throw conflict('The program is already archived.', { reason: 'ALREADY_IN_STATE' });
  const { openClasses } = await usage(tx, id);
  if (openClasses > 0)
    throw conflict(`The program has ${openClasses} class(es) not yet ended (Scheduled, Active or Paused); complete or cancel them first.`, {
      reason: 'IN_USE',
      dependents: { classes: openClasses },
    });
  const updated = await tx.program.update({
    where: { id },
    data: { archivedAt: new Date(), isActive: false, updateUserId: identity.userId },
    include: withTypes,
  });
  await log(tx, identity, current, 'program.archived', {
    reason: reason?.trim() || null,
    ...changedFields(snapshot(current), snapshot(updated)),
  });
  return { program: updated, action: 'program.archived', facilityId: null };
}

export async function reactivateProgram(tx: Tx, identity: Identity, id: string) {
  const current = await lockProgram(tx, identity, id);
  if (!current.archivedAt) throw conflict('The program is in use already.', { reason: 'ALREADY_IN_STATE' });
  const updated = await tx.program.update({
    where: { id },
    data: { archivedAt: null, isActive: true, updateUserId: identity.userId },
    include: withTypes,
  });
  await log(tx, identity, current, 'program.reactivated', changedFields(snapshot(current), snapshot(updated)));
  return { program: updated, action: 'program.reactivated', facilityId: null };
}

/** Deletes a program that never ran a class, with its never-run classes; the change log keeps the line. */
export async function deleteProgram(tx: Tx, identity: Identity, id: string, reason: string | null | undefined) {
  const current = await lockProgram(tx, identity, id);
  const { ranClasses } = await usage(tx, id);
  if (ranClasses > 0)
    throw conflict(`${ranClasses} class(es) of this program ran (were active or had enrollments): archive it instead.`, {
      reason: 'IN_USE',
      dependents: { classesThatRan: ranClasses },
    });
  const deletedClasses = await tx.programClass.deleteMany({ where: { programId: id } });
  await tx.program.delete({ where: { id } });
  await log(tx, identity, current, 'program.deleted', { reason: reason?.trim() || null, before: snapshot(current) });
  return { program: current, deletedClasses: deletedClasses.count, action: 'program.deleted', facilityId: null };
}

/** A facility offers the program, or stops offering it (refused while classes of it there are still to end). */
export async function setProgramOffered(tx: Tx, identity: Identity, programId: string, facilityId: string, offered: boolean) {
  const program = await lockProgram(tx, identity, programId, true);
  const [facility] = await facilitiesInReach(tx, identity, program.tenantId, [facilityId]);
  const existing = await tx.facilityProgram.findUnique({ where: { facilityId_programId: { facilityId, programId } } });
  if (!!existing === offered)
    throw conflict(offered ? 'The facility offers this program already.' : 'The facility does not offer this program.', {
      reason: 'ALREADY_IN_STATE',
    });
  if (offered) {
    if (program.archivedAt) throw conflict('An archived program cannot be offered.', { reason: 'ARCHIVED' });
    await tx.facilityProgram.create({ data: { facilityId, programId, tenantId: program.tenantId } });
  } else {
    const open = await tx.programClass.count({ where: { programId, facilityId, status: { in: [...OPEN_CLASS] } } });
    if (open > 0)
      throw conflict(`${open} class(es) of this program at the facility are not yet ended.`, {
        reason: 'IN_USE',
        dependents: { classes: open },
      });
    await tx.facilityProgram.delete({ where: { facilityId_programId: { facilityId, programId } } });
  }
  const action = offered ? 'program.offered' : 'program.withdrawn';
  await log(tx, identity, program, action, {
    before: { offeredAt: offered ? null : facility!.id },
    after: { offeredAt: offered ? facility!.id : null },
  });
  return { program, action, facilityId };
}
