// The fixed operation mix of the `mix` benchmark: what the apps send, on the demo world (and on the
// rows `pnpm seed --scale N` adds to it). Each operation is one or more steps (requests), each made
// as one demo person; a step may read what an earlier one answered (the behavior round trip).
import { behaviorDemo } from '../demo/behavior.ts';
import { demoId, facilities, users } from '../demo/ids.ts';

export type Person = 'facilityAdmin' | 'teacher' | 'residentLee';
export const PEOPLE: Record<Person, string> = {
  facilityAdmin: users.facilityAdmin.username,
  teacher: users.teacher.username,
  residentLee: users.residentLee.username,
};

/** What the steps of one run of an operation share (the request the round trip opened). */
export interface RunState {
  requestId?: string;
}

export interface Step {
  as: Person;
  query: string;
  variables(state: RunState): Record<string, unknown>;
  /** Reads what the step answered into the run's state. */
  after?(data: Record<string, unknown>, state: RunState): void;
}

export interface Operation {
  name: string;
  steps: Step[];
}

const RANGE = { from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z' };
const morningClass = demoId('c2', 1);
const morningEvent = demoId('c4', 1);

const DASHBOARD = `query Dashboard($id: UUID!, $from: DateTime!, $to: DateTime!) { facility(id: $id) { id name
  classes(first: 100) { nodes { id name status activeEnrollmentCount
    enrollments(first: 100) { nodes { status user { id displayName } } }
    attendanceRate(from: $from, to: $to) { present recorded rate } } } } }`;

const PROFILE = `query Profile($id: UUID!) { user(id: $id) { id displayName email residentNumber
  facility { name timezone }
  enrollments { nodes { status class { name program { name } } } }
  courseEnrollments { nodes { course { name } } }
  studentRecord { firstName gradeLevel }
  digitalAssets { nodes { name } }
  listings { nodes { id } } } }`;

const ROSTER = `query Roster($id: UUID!, $from: DateTime!, $to: DateTime!) {
  classRosterReport(classId: $id) { class { id name } rows { userId status enrolledAt user { id displayName } } }
  classAttendanceReport(classId: $id, from: $from, to: $to) { total { present recorded rate } rows { userId attendance { present recorded rate } } } }`;

const COURSES = `query CourseSearch($text: String!) { courses(filter: { search: $text }, first: 20) { nodes { id name description } pageInfo { hasNextPage } } }`;

const RADIUS = `query RadiusSearch($near: NearPoint!) { properties(filter: { near: $near }, sort: { field: DISTANCE }, first: 20) {
  nodes { id price distanceMeters } pageInfo { hasNextPage } } }`;

const ATTENDANCE = `mutation TakeAttendance($e: UUID!, $d: String!, $r: [AttendanceRecordInput!]!) { takeAttendance(eventId: $e, date: $d, records: $r) { id status } }`;

const OPEN = `mutation OpenRequest($s: UUID!) { openBehaviorRequest(studentId: $s, input: { behaviorType: "disruption", description: "Left class" }) { requestId } }`;
const ASSIGN = `mutation AssignReflection($id: UUID!) { changeBehaviorRequestStatus(id: $id, status: reflection_assigned) { status } }`;
const SUBMIT = `mutation SubmitReflection($id: UUID!) { submitReflection(requestId: $id, input: { content: "I was upset and walked out.", moodRating: 3,
  responses: [{ prompt: "What happened?", answer: "I left the room." }] }) { requestId reflection { completedAt request { status } } } }`;
const READ = `query ReadRequest($id: UUID!) { behaviorRequest(id: $id) { id status reflection { id completedAt content moodRating } } }`;

export const MIX: Operation[] = [
  { name: 'dashboard', steps: [{ as: 'facilityAdmin', query: DASHBOARD, variables: () => ({ id: facilities.northRidge.id, ...RANGE }) }] },
  { name: 'profile', steps: [{ as: 'residentLee', query: PROFILE, variables: () => ({ id: users.residentLee.id }) }] },
  { name: 'roster', steps: [{ as: 'teacher', query: ROSTER, variables: () => ({ id: morningClass, ...RANGE }) }] },
  { name: 'courseSearch', steps: [{ as: 'residentLee', query: COURSES, variables: () => ({ text: 'reading' }) }] },
  {
    name: 'radiusSearch',
    steps: [
      { as: 'residentLee', query: RADIUS, variables: () => ({ near: { latitude: 41.8856, longitude: -87.63, radiusMeters: 25_000 } }) },
    ],
  },
  {
    name: 'bulkAttendance',
    steps: [
      {
        as: 'teacher',
        query: ATTENDANCE,
        variables: () => ({
          e: morningEvent,
          d: '2026-10-05',
          r: [
            { userId: users.residentLee.id, status: 'present' },
            { userId: users.residentGarcia.id, status: 'absent_unexcused' },
          ],
        }),
      },
    ],
  },
  {
    name: 'reflectionRoundTrip',
    steps: [
      {
        as: 'teacher',
        query: OPEN,
        variables: () => ({ s: behaviorDemo.students.marcusLee }),
        after: (data, state) => void (state.requestId = (data.openBehaviorRequest as { requestId: string }).requestId),
      },
      { as: 'teacher', query: ASSIGN, variables: (s) => ({ id: s.requestId }) },
      { as: 'residentLee', query: SUBMIT, variables: (s) => ({ id: s.requestId }) },
      { as: 'teacher', query: READ, variables: (s) => ({ id: s.requestId }) },
    ],
  },
];
