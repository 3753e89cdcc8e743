import { and, can, isAuthenticated, isSelf, or, relation as kitRelation, allow, type RuleTree } from '@pathway/kit';
import { Perm } from './access.ts';
import type { BehaviorContext } from './context.ts';
import type { Family, Guardian, Student } from './generated/prisma/client.ts';
import { familyInCaseload, isLinkedGuardian, studentInCaseload } from './relations.ts';

/** A relationship rule on a parent row, evaluated once per row per request. */
const relation = <P>(name: string, check: (parent: P, ctx: BehaviorContext) => Promise<boolean>) =>
  kitRelation<P, BehaviorContext>(name, check);

// Student: the student themself; or, with behavior.student.read, a linked guardian or a caller whose caseload holds them.
const studentSelf = isSelf<Student>('student', (s) => s.userId);
const guardianOfStudent = relation<Student>('guardianOfStudent', (s, ctx) => isLinkedGuardian(ctx, ctx.identity!, s.familyId));
const studentInReach = relation<Student>('studentInCaseload', (s, ctx) => studentInCaseload(ctx, ctx.identity!, s));
const canSeeStudent = or(studentSelf, and(can(Perm.studentRead), or(guardianOfStudent, studentInReach)));

// Family: a linked guardian; or, with behavior.family.read, a caller whose caseload holds one of its students.
const guardianOfFamily = relation<Family>('guardianOfFamily', (f, ctx) => isLinkedGuardian(ctx, ctx.identity!, f.id));
const familyInReach = relation<Family>('familyInCaseload', (f, ctx) => familyInCaseload(ctx, ctx.identity!, f));
const canSeeFamily = or(guardianOfFamily, and(can(Perm.familyRead), familyInReach));

// Guardian: themself; a co-guardian of the same family (names only); family readers in reach (contact too).
const guardianSelf = isSelf<Guardian>('guardian', (g) => g.userId);
const coGuardian = relation<Guardian>('coGuardian', (g, ctx) => isLinkedGuardian(ctx, ctx.identity!, g.familyId));
const guardianFamilyInReach = relation<Guardian>('guardianFamilyInCaseload', (g, ctx) =>
  familyInCaseload(ctx, ctx.identity!, { id: g.familyId, tenantId: g.tenantId }),
);
const familyReader = and(can(Perm.familyRead), guardianFamilyInReach);
const guardianContact = or(guardianSelf, familyReader);

export const permissions: RuleTree = {
  Query: {
    behaviorStats: can(Perm.aggregateRead),
    // Lists and lookups return only what the caller may see (data layer), so signing in is enough to ask.
    student: isAuthenticated,
    students: isAuthenticated,
    family: isAuthenticated,
    families: isAuthenticated,
  },
  Student: { '*': canSeeStudent },
  Family: { '*': canSeeFamily },
  Guardian: {
    '*': or(guardianSelf, coGuardian, familyReader),
    email: guardianContact,
    phone: guardianContact,
    notificationPreferences: guardianContact,
  },
  BehaviorStats: can(Perm.aggregateRead),
  GradeLevelCount: can(Perm.aggregateRead),
  FacilityStudentCount: can(Perm.aggregateRead),
  User: isAuthenticated,
  Facility: isAuthenticated,
  StudentConnection: isAuthenticated,
  StudentEdge: isAuthenticated,
  FamilyConnection: isAuthenticated,
  FamilyEdge: isAuthenticated,
  GuardianConnection: isAuthenticated,
  GuardianEdge: isAuthenticated,
  PageInfo: allow,
};
