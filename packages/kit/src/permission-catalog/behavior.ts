import type { PermissionCatalog } from './types.ts';
import { ADMINS, STAFF_AND_ADMINS } from './types.ts';

export const behaviorPermissions = {
  'behavior.student.read': { description: 'See student records within reach', grantedTo: [...STAFF_AND_ADMINS, 'guardian'] },
  'behavior.family.read': { description: 'See family records within reach', grantedTo: STAFF_AND_ADMINS },
  'behavior.aggregate.read': {
    description: 'See student and family aggregates (counts, no personal data)',
    grantedTo: [...ADMINS, 'analyst'],
  },
  'behavior.student.manage': {
    description: 'Create, change and archive families, students and guardians within reach (admins)',
    grantedTo: ADMINS,
  },
  'behavior.caseload.manage': { description: 'Assign staff to students (caseloads) within reach', grantedTo: ADMINS },
  'behavior.history.read': {
    description: 'See the change history of student and family records in your caseload',
    grantedTo: STAFF_AND_ADMINS,
  },
  'behavior.request.manage': {
    description: 'Open behavior requests and move them through their workflow, for students in your caseload (staff) or reach (admins)',
    grantedTo: STAFF_AND_ADMINS,
  },
  'behavior.intervention.manage': {
    description: 'Plan interventions and write progress notes, for students in your caseload (staff) or reach (admins)',
    grantedTo: STAFF_AND_ADMINS,
  },
  'behavior.reflection.read': {
    description: "Read reflections' content, mood and responses, for students in your caseload (staff) or reach (admins)",
    grantedTo: STAFF_AND_ADMINS,
  },
  'behavior.pattern.read': {
    description: "See the behavior patterns (statistics of requests and reflections' moods) of students in your caseload or reach",
    grantedTo: STAFF_AND_ADMINS,
  },
  'behavior.communication.manage': {
    description: "Create and change your tenant's communication templates and rules; see and retry messages to guardians within reach",
    grantedTo: ADMINS,
  },
  'behavior.external.ingest': {
    description: 'Take in student information system records and correlate them to students within reach (admins)',
    grantedTo: ADMINS,
  },
  'behavior.external.review': {
    description: 'See external records correlated to students in your caseload or reach, and confirm or reject low-confidence matches',
    grantedTo: STAFF_AND_ADMINS,
  },
  'behavior.activity.read': {
    description: "See people's behavior activity (user_activity) and usage trends within reach (admins)",
    grantedTo: ADMINS,
  },
  'behavior.reflection.write': { description: 'Write your own reflection on a behavior request assigned to you', grantedTo: ['resident'] },
} as const satisfies PermissionCatalog;
