import type { TransactionalPublisher } from '@pathway/kit';
import type { Course, OutcomeType, Prisma, ProviderPlatform } from '../generated/prisma/client.ts';
import { publishMilestoneCompleted, publishOutcomeAwarded } from '../events.ts';
import type { CourseProgress, ProviderCourse } from '../providers/types.ts';
import type { SyncCounts } from './counts.ts';

type Tx = Prisma.TransactionClient;

/** A provider person already tied to a Pathway person (matched or linked). */
export interface MappedPerson {
  userId: string;
  facilityId: string | null;
}

const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

function courseFields(
  platform: Pick<ProviderPlatform, 'id' | 'tenantId' | 'facilityId'>,
  course: ProviderCourse,
  progress: CourseProgress,
) {
  return {
    name: course.name,
    altName: course.altName,
    description: course.description,
    externalUrl: course.externalUrl,
    thumbnailUrl: course.thumbnailUrl,
    startDt: course.startDt,
    endDt: course.endDt,
    totalProgressMilestones: progress.totalMilestones,
    outcomeTypes: ['grade', 'progress_completion'],
  };
}

function courseChanged(row: Course, fields: ReturnType<typeof courseFields>): boolean {
  return (
    row.deletedAt !== null ||
    row.name !== fields.name ||
    row.altName !== fields.altName ||
    row.description !== fields.description ||
    row.externalUrl !== fields.externalUrl ||
    row.thumbnailUrl !== fields.thumbnailUrl ||
    row.totalProgressMilestones !== fields.totalProgressMilestones ||
    !sameTime(row.startDt, fields.startDt) ||
    !sameTime(row.endDt, fields.endDt)
  );
}

/**
 * Writes one course with its enrollments, milestones and outcomes, in the caller's one transaction
 * (a course is never half-written). Only what differs from the stored rows is written, so a run
 * over unchanged data writes nothing and counts everything as unchanged. People the provider has
 * but Pathway does not know (unmatched, ignored) are counted and left out.
 */
export async function writeCourse(
  tx: Tx,
  events: TransactionalPublisher,
  platform: Pick<ProviderPlatform, 'id' | 'tenantId' | 'facilityId'>,
  course: ProviderCourse,
  progress: CourseProgress,
  people: ReadonlyMap<string, MappedPerson>,
  counts: SyncCounts,
): Promise<void> {
  const fields = courseFields(platform, course, progress);
  const existing = await tx.course.findUnique({
    where: { providerPlatformId_externalId: { providerPlatformId: platform.id, externalId: course.externalId } },
  });
  let row: Pick<Course, 'id' | 'tenantId'>;
  if (!existing) {
    row = await tx.course.create({
      data: {
        ...fields,
        tenantId: platform.tenantId,
        facilityId: platform.facilityId,
        providerPlatformId: platform.id,
        externalId: course.externalId,
      },
      select: { id: true, tenantId: true },
    });
    counts.coursesCreated++;
  } else if (courseChanged(existing, fields)) {
    row = await tx.course.update({
      where: { id: existing.id },
      data: { ...fields, deletedAt: null },
      select: { id: true, tenantId: true },
    });
    counts.coursesUpdated++;
  } else {
    row = existing;
    counts.coursesUnchanged++;
  }

  // Enrollments of known people.
  const stored = new Map((await tx.courseEnrollment.findMany({ where: { courseId: row.id } })).map((e) => [e.userId, e]));
  const fresh: Prisma.CourseEnrollmentCreateManyInput[] = [];
  for (const e of progress.enrollments) {
    const person = people.get(e.userExternalId);
    if (!person) {
      counts.enrollmentsSkipped++;
      continue;
    }
    const data = { externalId: e.externalId, totalActivitySeconds: e.totalActivitySeconds, lastActivityAt: e.lastActivityAt };
    const current = stored.get(person.userId);
    if (!current) {
      fresh.push({
        ...data,
        tenantId: row.tenantId,
        facilityId: person.facilityId,
        userId: person.userId,
        courseId: row.id,
        enrolledAt: e.enrolledAt ?? new Date(),
      });
    } else if (
      current.deletedAt !== null ||
      current.externalId !== data.externalId ||
      current.totalActivitySeconds !== data.totalActivitySeconds ||
      !sameTime(current.lastActivityAt, data.lastActivityAt)
    ) {
      await tx.courseEnrollment.update({ where: { id: current.id }, data: { ...data, deletedAt: null } });
      counts.enrollmentsUpdated++;
    } else counts.enrollmentsUnchanged++;
  }
  if (fresh.length) await tx.courseEnrollment.createMany({ data: fresh, skipDuplicates: true });
  counts.enrollmentsCreated += fresh.length;

  // Milestones: new ones in one statement; a milestone that becomes completed is an event.
  const known = new Map((await tx.milestone.findMany({ where: { courseId: row.id } })).map((m) => [`${m.userId}|${m.externalId}`, m]));
  const newMilestones: Prisma.MilestoneCreateManyInput[] = [];
  for (const m of progress.milestones) {
    const person = people.get(m.userExternalId);
    if (!person) continue;
    const current = known.get(`${person.userId}|${m.externalId}`);
    if (!current) {
      newMilestones.push({
        tenantId: row.tenantId,
        facilityId: person.facilityId,
        userId: person.userId,
        courseId: row.id,
        externalId: m.externalId,
        type: m.type,
        isCompleted: m.completed,
        occurredAt: m.occurredAt,
      });
    } else if (current.isCompleted !== m.completed || current.type !== m.type || !sameTime(current.occurredAt, m.occurredAt)) {
      const updated = await tx.milestone.update({
        where: { id: current.id },
        data: { isCompleted: m.completed, type: m.type, occurredAt: m.occurredAt },
      });
      counts.milestonesUpdated++;
      if (updated.isCompleted && !current.isCompleted) await publishMilestoneCompleted(events, updated);
    } else counts.milestonesUnchanged++;
  }
  if (newMilestones.length) {
    const created = await tx.milestone.createManyAndReturn({ data: newMilestones });
    counts.milestonesCreated += created.length;
    for (const m of created) if (m.isCompleted) await publishMilestoneCompleted(events, m);
  }

  await writeOutcomes(tx, events, row, progress, people, counts);
}

/** Outcomes of the course (seed 003): the final grade, and progress completion once the enrollment is completed. */
async function writeOutcomes(
  tx: Tx,
  events: TransactionalPublisher,
  course: Pick<Course, 'id' | 'tenantId'>,
  progress: CourseProgress,
  people: ReadonlyMap<string, MappedPerson>,
  counts: SyncCounts,
) {
  const wanted: { person: MappedPerson; type: OutcomeType; value: string | null }[] = [];
  for (const e of progress.enrollments) {
    const person = people.get(e.userExternalId);
    if (!person) continue;
    if (e.grade) wanted.push({ person, type: 'grade', value: e.grade });
    if (e.completed) wanted.push({ person, type: 'progress_completion', value: null });
  }
  if (!wanted.length) return;
  const stored = new Map((await tx.outcome.findMany({ where: { courseId: course.id } })).map((o) => [`${o.userId}|${o.type}`, o]));
  const fresh: Prisma.OutcomeCreateManyInput[] = [];
  for (const w of wanted) {
    const current = stored.get(`${w.person.userId}|${w.type}`);
    if (!current)
      fresh.push({
        tenantId: course.tenantId,
        facilityId: w.person.facilityId,
        userId: w.person.userId,
        courseId: course.id,
        type: w.type,
        value: w.value,
      });
    else if (current.value !== w.value) {
      await publishOutcomeAwarded(events, await tx.outcome.update({ where: { id: current.id }, data: { value: w.value } }));
      counts.outcomesUpdated++;
    }
  }
  if (!fresh.length) return;
  const created = await tx.outcome.createManyAndReturn({ data: fresh });
  counts.outcomesCreated += created.length;
  for (const o of created) await publishOutcomeAwarded(events, o);
}
