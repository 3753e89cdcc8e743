import { pgAdapter, type MongoConnection } from '@pathway/kit';
import {
  PrismaClient,
  type ClassStatus,
  type EnrollmentStatus,
  type FundingType,
  type ProgramType,
} from '../../subgraphs/campus/src/generated/prisma/client.ts';
import { demoId, facilities, tenants, users } from './ids.ts';

/** Campus demo rows: c1 programs, c2 classes, c3 enrollments. */
const programId = (n: number) => demoId('c1', n);
const classId = (n: number) => demoId('c2', n);
const enrollmentId = (n: number) => demoId('c3', n);

const { northRidge, cedarValley, riverside } = facilities;

interface DemoProgram {
  id: string;
  tenantId: string;
  name: string;
  description: string;
  fundingType: FundingType;
  types: ProgramType[];
  offeredAt: string[];
  archivedAt?: Date;
}

const programs: DemoProgram[] = [
  {
    id: programId(1),
    tenantId: tenants.lakeshore,
    name: 'GED Preparation',
    description: 'Reading, writing, math, science and social studies toward the high school equivalency exam.',
    fundingType: 'State_Grants',
    types: ['Educational'],
    offeredAt: [northRidge.id, cedarValley.id],
  },
  {
    id: programId(2),
    tenantId: tenants.lakeshore,
    name: 'Welding Fundamentals',
    description: 'Shop safety, MIG and stick welding, blueprint reading; prepares for AWS entry-level certification.',
    fundingType: 'Federal_Grants',
    types: ['Vocational'],
    offeredAt: [northRidge.id],
  },
  {
    id: programId(3),
    tenantId: tenants.lakeshore,
    name: 'Reentry Readiness',
    description: 'Housing, employment, budgeting and documents (ID, Social Security card) for the months after release.',
    fundingType: 'Nonprofit_Organizations',
    types: ['Re_Entry', 'Life_Skills'],
    offeredAt: [northRidge.id, cedarValley.id],
  },
  {
    id: programId(4),
    tenantId: tenants.lakeshore,
    name: 'Faith-Based Mentoring',
    description: 'One-to-one mentoring with volunteer chaplains. Replaced by the chaplaincy program.',
    fundingType: 'Other',
    types: ['Religious_Faith_Based', 'Therapeutic'],
    offeredAt: [cedarValley.id],
    archivedAt: new Date('2026-03-31T00:00:00Z'),
  },
  {
    id: programId(5),
    tenantId: tenants.riverside,
    name: 'Adult Basic Education',
    description: 'Literacy and numeracy for adult learners, from beginning reading to pre-GED math.',
    fundingType: 'Educational_Grants',
    types: ['Educational'],
    offeredAt: [riverside.id],
  },
];

interface DemoClass {
  id: string;
  programId: string;
  facility: { id: string; tenantId: string };
  name: string;
  instructorName: string;
  description: string;
  capacity: number;
  status: ClassStatus;
  creditHours: number;
  startDt: string;
  endDt: string;
}

const classes: DemoClass[] = [
  {
    id: classId(1),
    programId: programId(1),
    facility: northRidge,
    name: 'GED Preparation – Morning Cohort',
    instructorName: 'Tara Jones',
    description: 'Mon/Wed/Fri 8:30–10:30, Education Building room 2.',
    capacity: 20,
    status: 'Active',
    creditHours: 6,
    startDt: '2026-09-08T12:30:00Z',
    endDt: '2026-12-18T15:30:00Z',
  },
  {
    id: classId(2),
    programId: programId(2),
    facility: northRidge,
    name: 'Welding I',
    instructorName: 'Luis Ortega',
    description: 'Tue/Thu afternoons in the vocational shop.',
    capacity: 12,
    status: 'Active',
    creditHours: 4,
    startDt: '2026-08-25T17:00:00Z',
    endDt: '2027-01-28T21:00:00Z',
  },
  {
    id: classId(3),
    programId: programId(3),
    facility: northRidge,
    name: 'Reentry Readiness – Winter',
    instructorName: 'Tara Jones',
    description: 'Weekly workshop for residents within 12 months of release.',
    capacity: 15,
    status: 'Scheduled',
    creditHours: 2,
    startDt: '2027-01-12T19:00:00Z',
    endDt: '2027-03-30T21:00:00Z',
  },
  {
    id: classId(4),
    programId: programId(1),
    facility: cedarValley,
    name: 'GED Preparation – Evening',
    instructorName: 'Priya Natarajan',
    description: 'Tue/Thu 6–8 pm in the learning center.',
    capacity: 18,
    status: 'Active',
    creditHours: 6,
    startDt: '2026-09-15T23:00:00Z',
    endDt: '2027-01-21T02:00:00Z',
  },
  {
    id: classId(5),
    programId: programId(3),
    facility: cedarValley,
    name: 'Reentry Readiness – Summer',
    instructorName: 'Marcus Bell',
    description: 'Eight-week workshop series.',
    capacity: 15,
    status: 'Completed',
    creditHours: 2,
    startDt: '2026-06-02T19:00:00Z',
    endDt: '2026-07-28T21:00:00Z',
  },
  {
    id: classId(6),
    programId: programId(5),
    facility: riverside,
    name: 'Adult Basic Education – Reading',
    instructorName: 'Grace Whitman',
    description: 'Small-group reading, four mornings a week.',
    capacity: 10,
    status: 'Active',
    creditHours: 3,
    startDt: '2026-09-01T16:00:00Z',
    endDt: '2026-12-15T18:00:00Z',
  },
];

interface DemoEnrollment {
  id: string;
  classId: string;
  userId: string;
  status: EnrollmentStatus;
  enrolledAt: string;
  endedAt?: string;
  changeReason?: string;
}

const enrollments: DemoEnrollment[] = [
  { id: enrollmentId(1), classId: classId(1), userId: users.residentLee.id, status: 'Enrolled', enrolledAt: '2026-09-02T14:00:00Z' },
  {
    id: enrollmentId(2),
    classId: classId(2),
    userId: users.residentLee.id,
    status: 'Incomplete_Withdrawn',
    enrolledAt: '2026-08-20T14:00:00Z',
    endedAt: '2026-10-06T14:00:00Z',
    changeReason: 'Assigned to a kitchen work shift that overlaps class time.',
  },
  { id: enrollmentId(3), classId: classId(1), userId: users.residentGarcia.id, status: 'Enrolled', enrolledAt: '2026-09-03T15:00:00Z' },
  { id: enrollmentId(4), classId: classId(3), userId: users.residentGarcia.id, status: 'Enrolled', enrolledAt: '2026-11-10T15:00:00Z' },
  { id: enrollmentId(5), classId: classId(4), userId: users.residentKim.id, status: 'Enrolled', enrolledAt: '2026-09-10T16:00:00Z' },
  {
    id: enrollmentId(6),
    classId: classId(5),
    userId: users.residentKim.id,
    status: 'Completed',
    enrolledAt: '2026-05-28T16:00:00Z',
    endedAt: '2026-07-28T21:00:00Z',
    changeReason: 'Attended all eight sessions.',
  },
  { id: enrollmentId(7), classId: classId(6), userId: users.riversideStudent.id, status: 'Enrolled', enrolledAt: '2026-08-27T17:00:00Z' },
];

/** Staff who teach demo classes (teacher Jones: the morning GED cohort and winter reentry). */
const instructors = [
  { classId: classId(1), userId: users.teacher.id },
  { classId: classId(3), userId: users.teacher.id },
];

/** Rooms of North Ridge that class events are booked into. */
const rooms = [
  { id: demoId('c5', 1), facilityId: facilities.northRidge.id, name: 'Education Building 2', capacity: 24 },
  { id: demoId('c5', 2), facilityId: facilities.northRidge.id, name: 'Vocational Shop', capacity: 12 },
];

/** A weekly schedule for the morning GED cohort (Mon/Wed/Fri 8:30 New York time, 2 hours). */
const events = [
  {
    id: demoId('c4', 1),
    classId: classId(1),
    startsAt: '2026-09-08T12:30:00Z',
    durationMinutes: 120,
    room: 'Education Building 2',
    roomId: demoId('c5', 1),
    recurrenceRule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR;UNTIL=20261218T235959Z',
  },
];

/**
 * The three demo facilities, a small catalog in both tenants, classes at each facility and
 * enrollments for the demo residents. Idempotent: upserts by fixed id, and re-running restores
 * the demo values. (Campus keeps no Mongo documents yet.)
 */
export async function seedCampusDemo(databaseUrl: string, _mongo: MongoConnection['db']): Promise<void> {
  const prisma = new PrismaClient({ adapter: pgAdapter(databaseUrl, 'campus', 2) });
  try {
    for (const f of Object.values(facilities)) {
      const data = { tenantId: f.tenantId, name: f.name, timezone: f.timezone };
      await prisma.facility.upsert({ where: { id: f.id }, update: data, create: { id: f.id, ...data } });
    }
    for (const p of programs) {
      const data = {
        tenantId: p.tenantId,
        name: p.name,
        description: p.description,
        fundingType: p.fundingType,
        isActive: !p.archivedAt,
        archivedAt: p.archivedAt ?? null,
      };
      await prisma.program.upsert({ where: { id: p.id }, update: data, create: { id: p.id, ...data } });
      for (const programType of p.types) {
        await prisma.programTypeTag.upsert({
          where: { programId_programType: { programId: p.id, programType } },
          update: {},
          create: { programId: p.id, programType, tenantId: p.tenantId },
        });
      }
      for (const facilityId of p.offeredAt) {
        await prisma.facilityProgram.upsert({
          where: { facilityId_programId: { facilityId, programId: p.id } },
          update: {},
          create: { facilityId, programId: p.id, tenantId: p.tenantId },
        });
      }
    }
    for (const c of classes) {
      const data = {
        tenantId: c.facility.tenantId,
        facilityId: c.facility.id,
        programId: c.programId,
        name: c.name,
        instructorName: c.instructorName,
        description: c.description,
        capacity: c.capacity,
        status: c.status,
        creditHours: c.creditHours,
        startDt: new Date(c.startDt),
        endDt: new Date(c.endDt),
      };
      await prisma.programClass.upsert({ where: { id: c.id }, update: data, create: { id: c.id, ...data } });
    }
    const classById = new Map(classes.map((c) => [c.id, c]));
    for (const e of enrollments) {
      const programClass = classById.get(e.classId)!;
      const data = {
        tenantId: programClass.facility.tenantId,
        facilityId: programClass.facility.id,
        classId: e.classId,
        userId: e.userId,
        status: e.status,
        changeReason: e.changeReason ?? null,
        enrolledAt: new Date(e.enrolledAt),
        endedAt: e.endedAt ? new Date(e.endedAt) : null,
        createdAt: new Date(e.enrolledAt),
      };
      await prisma.classEnrollment.upsert({ where: { id: e.id }, update: data, create: { id: e.id, ...data } });
    }
    for (const i of instructors) {
      const programClass = classById.get(i.classId)!;
      const data = { tenantId: programClass.facility.tenantId, facilityId: programClass.facility.id, assignedBy: users.facilityAdmin.id };
      await prisma.classInstructor.upsert({ where: { classId_userId: i }, update: data, create: { ...i, ...data } });
    }
    for (const r of rooms) {
      const data = { tenantId: facilities.northRidge.tenantId, facilityId: r.facilityId, name: r.name, capacity: r.capacity };
      await prisma.room.upsert({ where: { id: r.id }, update: data, create: { id: r.id, ...data } });
    }
    for (const ev of events) {
      const programClass = classById.get(ev.classId)!;
      const data = {
        tenantId: programClass.facility.tenantId,
        facilityId: programClass.facility.id,
        classId: ev.classId,
        startsAt: new Date(ev.startsAt),
        durationMinutes: ev.durationMinutes,
        room: ev.room,
        roomId: ev.roomId,
        recurrenceRule: ev.recurrenceRule,
      };
      await prisma.classEvent.upsert({ where: { id: ev.id }, update: data, create: { id: ev.id, ...data } });
    }
  } finally {
    await prisma.$disconnect();
  }
}
