import { allow, can, isAuthenticated, visibleRow, type RuleTree } from '@pathway/kit';
import { familyAccess, guardianAccess, guardianContactAccess, Perm, studentAccess } from './access.ts';
import type { BehaviorContext } from './context.ts';

// Row rules: the caller may see the row under the entity's access definition (access.ts), decided on the
// row where its columns suffice, else by the request's batched confirm loader (primed by the loaders that read rows).
const canSeeStudent = visibleRow<{ id: string }, BehaviorContext>(studentAccess, (ctx) => ctx.loaders.visible.student);
const canSeeFamily = visibleRow<{ id: string }, BehaviorContext>(familyAccess, (ctx) => ctx.loaders.visible.family);
const canSeeGuardian = visibleRow<{ id: string }, BehaviorContext>(guardianAccess, (ctx) => ctx.loaders.visible.guardian);
// Contact fields: the guardian themself and family readers in reach, not co-guardians.
const canSeeGuardianContact = visibleRow<{ id: string }, BehaviorContext>(
  guardianContactAccess,
  (ctx) => ctx.loaders.visible.guardianContact,
);

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
    '*': canSeeGuardian,
    email: canSeeGuardianContact,
    phone: canSeeGuardianContact,
    notificationPreferences: canSeeGuardianContact,
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
