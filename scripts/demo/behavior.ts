import { pgAdapter, type MongoConnection } from '@pathway/kit';
import { PrismaClient } from '../../subgraphs/behavior/src/generated/prisma/client.ts';
import { demoId, facilities, tenants, users } from './ids.ts';

/** Fixed ids of the behavior demo rows (prefixes e1 families, e2 students, e3 guardians, e4 assignments). */
export const behaviorDemo = {
  families: { lee: demoId('e1', 1), garcia: demoId('e1', 2), kim: demoId('e1', 3), haddad: demoId('e1', 4) },
  students: {
    marcusLee: demoId('e2', 1),
    jadaLee: demoId('e2', 2),
    elenaGarcia: demoId('e2', 3),
    danielKim: demoId('e2', 4),
    omarHaddad: demoId('e2', 5),
  },
  guardians: {
    angelaLee: demoId('e3', 1),
    davidLee: demoId('e3', 2),
    rosaGarcia: demoId('e3', 3),
    graceKim: demoId('e3', 4),
    laylaHaddad: demoId('e3', 5),
  },
  assignments: { teacherMarcus: demoId('e4', 1) },
} as const;

const { families: F, students: S, guardians: G } = behaviorDemo;
const lakeshore = tenants.lakeshore;

const familyRows = [
  {
    id: F.lee,
    tenantId: lakeshore,
    familyName: 'Lee',
    primaryContact: 'Angela Lee',
    address: '418 Maple Street, Fairport, NY 14450',
    phone: '+1-585-555-0142',
  },
  {
    id: F.garcia,
    tenantId: lakeshore,
    familyName: 'Garcia',
    primaryContact: 'Rosa Garcia',
    address: '77 Lakeview Avenue, Rochester, NY 14612',
    phone: '+1-585-555-0178',
  },
  {
    id: F.kim,
    tenantId: lakeshore,
    familyName: 'Kim',
    primaryContact: 'Grace Kim',
    address: '1203 Prairie Road, Naperville, IL 60540',
    phone: '+1-630-555-0119',
  },
  {
    id: F.haddad,
    tenantId: tenants.riverside,
    familyName: 'Haddad',
    primaryContact: 'Layla Haddad',
    address: '56 Orchard Lane, Riverside, CA 92501',
    phone: '+1-951-555-0163',
  },
];

const studentRows = [
  // Marcus has an account (users.residentLee); Jada, his sister, does not: Angela sees both, the teacher only Marcus.
  {
    id: S.marcusLee,
    tenantId: lakeshore,
    facilityId: facilities.northRidge.id,
    facilityTimezone: facilities.northRidge.timezone,
    familyId: F.lee,
    studentNumber: 'NR-2026-0101',
    firstName: 'Marcus',
    lastName: 'Lee',
    gradeLevel: 'GED Prep',
    birthDate: new Date('2004-03-14'),
    additionalInfo: { preferredLanguage: 'en', iep: false },
    userId: users.residentLee.id,
  },
  {
    id: S.jadaLee,
    tenantId: lakeshore,
    facilityId: facilities.northRidge.id,
    facilityTimezone: facilities.northRidge.timezone,
    familyId: F.lee,
    studentNumber: 'NR-2026-0102',
    firstName: 'Jada',
    lastName: 'Lee',
    gradeLevel: 'Adult Basic Education',
    birthDate: new Date('2006-09-02'),
    additionalInfo: { preferredLanguage: 'en', iep: true },
    userId: null,
  },
  {
    id: S.elenaGarcia,
    tenantId: lakeshore,
    facilityId: facilities.northRidge.id,
    facilityTimezone: facilities.northRidge.timezone,
    familyId: F.garcia,
    studentNumber: 'NR-2026-0117',
    firstName: 'Elena',
    lastName: 'Garcia',
    gradeLevel: 'GED Prep',
    birthDate: new Date('2001-11-23'),
    additionalInfo: { preferredLanguage: 'es', iep: false },
    userId: users.residentGarcia.id,
  },
  {
    id: S.danielKim,
    tenantId: lakeshore,
    facilityId: facilities.cedarValley.id,
    facilityTimezone: facilities.cedarValley.timezone,
    familyId: F.kim,
    studentNumber: 'CV-2026-0045',
    firstName: 'Daniel',
    lastName: 'Kim',
    gradeLevel: 'Career Readiness',
    birthDate: new Date('1999-05-30'),
    additionalInfo: { preferredLanguage: 'en', iep: false },
    userId: users.residentKim.id,
  },
  {
    id: S.omarHaddad,
    tenantId: tenants.riverside,
    facilityId: facilities.riverside.id,
    facilityTimezone: facilities.riverside.timezone,
    familyId: F.haddad,
    studentNumber: 'RLC-00077',
    firstName: 'Omar',
    lastName: 'Haddad',
    gradeLevel: '11',
    birthDate: new Date('2009-01-17'),
    additionalInfo: { preferredLanguage: 'ar', iep: false },
    userId: users.riversideStudent.id,
  },
];

const guardianRows = [
  {
    id: G.angelaLee,
    tenantId: lakeshore,
    familyId: F.lee,
    userId: users.guardian.id,
    firstName: 'Angela',
    lastName: 'Lee',
    relationship: 'mother',
    email: 'angela.lee@example.org',
    phone: '+1-585-555-0142',
    notificationPreferences: { email: true, sms: true },
  },
  {
    id: G.davidLee,
    tenantId: lakeshore,
    familyId: F.lee,
    userId: null,
    firstName: 'David',
    lastName: 'Lee',
    relationship: 'father',
    email: 'david.lee@example.org',
    phone: '+1-585-555-0143',
    notificationPreferences: { email: true, sms: false },
  },
  {
    id: G.rosaGarcia,
    tenantId: lakeshore,
    familyId: F.garcia,
    userId: null,
    firstName: 'Rosa',
    lastName: 'Garcia',
    relationship: 'mother',
    email: 'rosa.garcia@example.org',
    phone: '+1-585-555-0178',
    notificationPreferences: { email: false, sms: true },
  },
  {
    id: G.graceKim,
    tenantId: lakeshore,
    familyId: F.kim,
    userId: null,
    firstName: 'Grace',
    lastName: 'Kim',
    relationship: 'spouse',
    email: 'grace.kim@example.org',
    phone: '+1-630-555-0119',
    notificationPreferences: { email: true, sms: false },
  },
  {
    id: G.laylaHaddad,
    tenantId: tenants.riverside,
    familyId: F.haddad,
    userId: null,
    firstName: 'Layla',
    lastName: 'Haddad',
    relationship: 'mother',
    email: 'layla.haddad@example.org',
    phone: '+1-951-555-0163',
    notificationPreferences: { email: true, sms: true },
  },
];

/**
 * Demo families in both tenants: the Lee family (guardian Angela = users.guardian; Marcus =
 * users.residentLee) and the Garcia family at North Ridge, the Kim family at Cedar Valley, the
 * Haddad family in Riverside. users.teacher is assigned to Marcus Lee only. Idempotent: upserts by fixed id.
 */
export async function seedBehaviorDemo(databaseUrl: string, _mongo: MongoConnection['db']): Promise<void> {
  const prisma = new PrismaClient({ adapter: pgAdapter(databaseUrl, 'behavior', 2) });
  try {
    for (const { id, ...data } of familyRows) await prisma.family.upsert({ where: { id }, update: data, create: { id, ...data } });
    for (const { id, ...data } of studentRows) await prisma.student.upsert({ where: { id }, update: data, create: { id, ...data } });
    for (const { id, ...data } of guardianRows) await prisma.guardian.upsert({ where: { id }, update: data, create: { id, ...data } });
    const assignment = { tenantId: lakeshore, teacherId: users.teacher.id, studentId: S.marcusLee };
    await prisma.teacherStudentAssignment.upsert({
      where: { id: behaviorDemo.assignments.teacherMarcus },
      update: assignment,
      create: { id: behaviorDemo.assignments.teacherMarcus, ...assignment },
    });
  } finally {
    await prisma.$disconnect();
  }
}
