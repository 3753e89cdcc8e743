import { pgAdapter, type MongoConnection } from '@pathway/kit';
import { PrismaClient, type CourseType, type ProviderPlatformType } from '../../subgraphs/learning/src/generated/prisma/client.ts';
import { demoId, facilities, tenants, users } from './ids.ts';

/**
 * Demo provider platforms, courses and course enrollments in both tenants. Idempotent: upserts by
 * fixed id. Prefixes: d1 platforms, d2 courses, d3 enrollments (d4–d9 kept for milestones,
 * outcomes, activities and open content).
 */
const platforms = {
  northRidgeKolibri: {
    id: demoId('d1', 1),
    tenantId: tenants.lakeshore,
    facilityId: facilities.northRidge.id,
    type: 'kolibri',
    name: 'North Ridge Kolibri',
    accountId: 'northridge',
    baseUrl: 'http://kolibri.northridge.internal:8080',
  },
  lakeshoreCanvas: {
    id: demoId('d1', 2),
    tenantId: tenants.lakeshore,
    facilityId: null,
    type: 'canvas_cloud',
    name: 'Lakeshore Canvas',
    accountId: '1',
    baseUrl: 'https://lakeshore-doc.instructure.com',
  },
  riversideBrightspace: {
    id: demoId('d1', 3),
    tenantId: tenants.riverside,
    facilityId: facilities.riverside.id,
    type: 'brightspace',
    name: 'Riverside Brightspace',
    accountId: '6606',
    baseUrl: 'https://riverside.brightspace.com',
  },
} satisfies Record<
  string,
  { id: string; tenantId: string; facilityId: string | null; type: ProviderPlatformType; name: string; accountId: string; baseUrl: string }
>;

type Platform = (typeof platforms)[keyof typeof platforms];

interface DemoCourse {
  id: string;
  platform: Platform;
  name: string;
  altName?: string;
  description: string;
  externalId: string;
  externalUrl: string;
  type: CourseType;
  outcomeTypes: string[];
  totalProgressMilestones: number;
  startDt?: Date;
  endDt?: Date;
  deletedAt?: Date;
}

const courses = {
  algebra: {
    id: demoId('d2', 1),
    platform: platforms.northRidgeKolibri,
    name: 'Foundations of Algebra',
    description: 'Expressions, equations and graphing, from the Khan Academy channel.',
    externalId: 'c9d7f950ab6b5a1199e3d6c10d7f0103',
    externalUrl: 'http://kolibri.northridge.internal:8080/en/learn/#/topics/c9d7f950ab6b5a1199e3d6c10d7f0103',
    type: 'open_content',
    outcomeTypes: ['progress_completion'],
    totalProgressMilestones: 24,
  },
  reading: {
    id: demoId('d2', 2),
    platform: platforms.northRidgeKolibri,
    name: 'Reading Comprehension Fundamentals',
    description: 'Short passages with questions to build reading fluency.',
    externalId: '1ceff53605e55bef987d88e0908658c5',
    externalUrl: 'http://kolibri.northridge.internal:8080/en/learn/#/topics/1ceff53605e55bef987d88e0908658c5',
    type: 'open_content',
    outcomeTypes: ['progress_completion'],
    totalProgressMilestones: 12,
  },
  gedMath: {
    id: demoId('d2', 3),
    platform: platforms.lakeshoreCanvas,
    name: 'GED Mathematical Reasoning Preparation',
    altName: 'GED-MATH-101',
    description: 'Prepares learners for the GED Mathematical Reasoning test.',
    externalId: '2041',
    externalUrl: 'https://lakeshore-doc.instructure.com/courses/2041',
    type: 'fixed_enrollment',
    outcomeTypes: ['grade', 'certificate'],
    totalProgressMilestones: 18,
    startDt: new Date('2026-09-08T13:00:00Z'),
    endDt: new Date('2026-12-18T22:00:00Z'),
  },
  finance: {
    id: demoId('d2', 4),
    platform: platforms.lakeshoreCanvas,
    name: 'Introduction to Personal Finance',
    altName: 'FIN-100',
    description: 'Budgeting, banking, credit and planning for release.',
    externalId: '2057',
    externalUrl: 'https://lakeshore-doc.instructure.com/courses/2057',
    type: 'open_enrollment',
    outcomeTypes: ['certificate'],
    totalProgressMilestones: 8,
  },
  keyboarding: {
    id: demoId('d2', 5),
    platform: platforms.lakeshoreCanvas,
    name: 'Keyboarding Basics (retired)',
    altName: 'KEY-010',
    description: 'Replaced by the digital literacy program.',
    externalId: '1877',
    externalUrl: 'https://lakeshore-doc.instructure.com/courses/1877',
    type: 'open_enrollment',
    outcomeTypes: [],
    totalProgressMilestones: 5,
    deletedAt: new Date('2026-06-30T00:00:00Z'),
  },
  careers: {
    id: demoId('d2', 6),
    platform: platforms.riversideBrightspace,
    name: 'Career Readiness and Job Search',
    altName: 'CRJ-110',
    description: 'Résumés, interviews and workplace skills; earns college credit.',
    externalId: '6606-118',
    externalUrl: 'https://riverside.brightspace.com/d2l/home/118',
    type: 'fixed_enrollment',
    outcomeTypes: ['grade', 'college_credit'],
    totalProgressMilestones: 15,
    startDt: new Date('2026-08-24T16:00:00Z'),
    endDt: new Date('2026-12-11T23:00:00Z'),
  },
} satisfies Record<string, DemoCourse>;

/** Each enrollment carries the learner's tenant and facility, so staff of that facility can see it. */
const enrollments = [
  { n: 1, user: users.residentLee, course: courses.algebra, externalId: null, enrolledAt: '2026-09-02T14:00:00Z' },
  { n: 2, user: users.residentLee, course: courses.gedMath, externalId: 'canvas-enr-88121', enrolledAt: '2026-09-08T13:30:00Z' },
  { n: 3, user: users.residentGarcia, course: courses.reading, externalId: null, enrolledAt: '2026-09-03T15:00:00Z' },
  { n: 4, user: users.residentGarcia, course: courses.finance, externalId: 'canvas-enr-88140', enrolledAt: '2026-10-01T16:00:00Z' },
  { n: 5, user: users.residentKim, course: courses.gedMath, externalId: 'canvas-enr-88122', enrolledAt: '2026-09-08T14:00:00Z' },
  { n: 6, user: users.residentKim, course: courses.finance, externalId: 'canvas-enr-88141', enrolledAt: '2026-10-02T15:00:00Z' },
  { n: 7, user: users.riversideStudent, course: courses.careers, externalId: 'd2l-enr-5521', enrolledAt: '2026-08-24T17:00:00Z' },
] as const;

export async function seedLearningDemo(databaseUrl: string, _mongo: MongoConnection['db']): Promise<void> {
  const prisma = new PrismaClient({ adapter: pgAdapter(databaseUrl, 'learning', 2) });
  try {
    for (const p of Object.values(platforms)) {
      // The access key stays null until the sync issue brings its encryption.
      const { id, ...data } = p;
      await prisma.providerPlatform.upsert({ where: { id }, update: data, create: { id, ...data, state: 'enabled' } });
    }
    for (const c of Object.values(courses) as DemoCourse[]) {
      const data = {
        tenantId: c.platform.tenantId,
        facilityId: c.platform.facilityId,
        providerPlatformId: c.platform.id,
        name: c.name,
        altName: c.altName ?? null,
        description: c.description,
        externalId: c.externalId,
        externalUrl: c.externalUrl,
        type: c.type,
        outcomeTypes: c.outcomeTypes,
        totalProgressMilestones: c.totalProgressMilestones,
        startDt: c.startDt ?? null,
        endDt: c.endDt ?? null,
        deletedAt: c.deletedAt ?? null,
      };
      await prisma.course.upsert({ where: { id: c.id }, update: data, create: { id: c.id, ...data } });
    }
    for (const e of enrollments) {
      const id = demoId('d3', e.n);
      const data = {
        tenantId: e.user.tenantId,
        facilityId: e.user.facilityId,
        userId: e.user.id,
        courseId: e.course.id,
        externalId: e.externalId,
        enrolledAt: new Date(e.enrolledAt),
      };
      await prisma.courseEnrollment.upsert({ where: { id }, update: data, create: { id, ...data } });
    }
  } finally {
    await prisma.$disconnect();
  }
}
