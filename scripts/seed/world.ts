// The generated world of `pnpm seed --scale N`: tenants like the demo's, with the volumes
// per tenant at scale 1 (scale 10: ten such tenants). Pure generation: rows go to a sink, which
// inserts them (index.ts) or only hashes them (the determinism test), so both see the same rows.
import { priceKey } from '../../subgraphs/market/src/data/assets.ts';
import { Random } from './random.ts';
import type { Row } from './bulk.ts';

/** Rows per tenant at scale 1 (the figures; course enrollments and events are what the rows need around them). */
export const PER_TENANT = {
  facilities: 5,
  people: 5_000,
  programs: 20,
  classes: 200,
  enrollments: 20_000,
  attendance: 200_000,
  courses: 2_000,
  courseEnrollments: 10_000,
  milestones: 50_000,
  students: 10_000,
  behaviorRequests: 30_000,
  activityEvents: 100_000,
  properties: 5_000,
  assets: 20_000,
} as const;

export interface WorldOptions {
  scale: number;
  seed: number;
  /** The share of MongoDB documents generated (the mongo-wire stand-in keeps them in memory and scans). */
  mongoScale: number;
  /** Role name → id in identity.roles (the catalog the migrations and the permission sync write). */
  roleIds: Record<string, string>;
}

export interface Sink {
  /** Rows of one Postgres table of one tenant (the tenant's scope is set around it). */
  rows(schema: string, table: string, tenantId: string, rows: Row[]): Promise<void>;
  /** Documents of one MongoDB collection (database `pathway_<subgraph>`). */
  documents(subgraph: string, collection: string, docs: Record<string, unknown>[]): Promise<void>;
}

const FIRST = [
  'Aaliyah',
  'Marcus',
  'Elena',
  'DeShawn',
  'Priya',
  'Tomás',
  'Keisha',
  'Jamal',
  'Mei',
  'Robert',
  'Ana',
  'Luis',
  'Grace',
  'Omar',
  'Nina',
  'Carl',
];
const LAST = [
  'Lee',
  'Garcia',
  'Johnson',
  'Nguyen',
  'Okafor',
  'Smith',
  'Patel',
  'Williams',
  'Brown',
  'Davis',
  'Lopez',
  'Kim',
  'Harris',
  'Young',
];
const SUBJECTS = [
  'Reading',
  'Algebra',
  'Writing',
  'Welding',
  'Carpentry',
  'Budgeting',
  'Biology',
  'History',
  'Computer Basics',
  'Parenting',
  'Culinary Arts',
  'Spanish',
];
const LEVELS = ['Introduction to', 'Foundations of', 'Intermediate', 'Advanced', 'Applied'];
const CITIES = [
  { city: 'Chicago', state: 'IL', lat: 41.8856, lon: -87.63 },
  { city: 'Columbus', state: 'OH', lat: 39.9612, lon: -82.9988 },
  { city: 'Denver', state: 'CO', lat: 39.7392, lon: -104.9903 },
];
const YEAR_START = new Date('2025-01-01T00:00:00Z');
const NOW = new Date('2026-11-30T00:00:00Z');
const DAY = 86_400_000;

const count = (base: number, factor: number) => Math.max(1, Math.round(base * factor));
const name = (r: Random) => ({ first: r.pick(FIRST), last: r.pick(LAST) });
const stamps = (at: Date) => ({ created_at: at, updated_at: at });

/** What was generated, by table or collection. */
export type Counts = Record<string, number>;

/** Generates every tenant's rows into `sink`, one table at a time; returns the counts. */
export async function generateWorld(opts: WorldOptions, sink: Sink): Promise<Counts> {
  const tenants = Math.max(1, Math.round(opts.scale));
  const factor = opts.scale / tenants;
  const counts: Counts = {};
  const put = async (schema: string, table: string, tenantId: string, rows: Row[]) => {
    counts[`${schema}.${table}`] = (counts[`${schema}.${table}`] ?? 0) + rows.length;
    await sink.rows(schema, table, tenantId, rows);
  };
  const putDocs = async (subgraph: string, collection: string, docs: Record<string, unknown>[]) => {
    counts[`mongo ${subgraph}.${collection}`] = (counts[`mongo ${subgraph}.${collection}`] ?? 0) + docs.length;
    if (docs.length) await sink.documents(subgraph, collection, docs);
  };
  for (let t = 0; t < tenants; t++) await generateTenant(opts, t, factor, put, putDocs);
  return counts;
}

type Put = (schema: string, table: string, tenantId: string, rows: Row[]) => Promise<void>;
type PutDocs = (subgraph: string, collection: string, docs: Record<string, unknown>[]) => Promise<void>;

async function generateTenant(opts: WorldOptions, t: number, factor: number, put: Put, putDocs: PutDocs): Promise<void> {
  const rand = (table: string) => Random.for(opts.seed, t, table);
  const tag = `s${opts.seed}t${t}`;
  const tenantId = rand('tenant').uuid();
  const place = CITIES[t % CITIES.length]!;

  // identity: the tenant, its people (nine in ten residents), their roles, the facilities' features.
  await put('identity', 'tenants', tenantId, [
    {
      id: tenantId,
      slug: `seed-${tag}`,
      name: `Generated Department ${t + 1} (seed ${opts.seed})`,
      tier: 'enterprise',
      region: 'us-east',
      ...stamps(YEAR_START),
    },
  ]);
  let r = rand('facilities');
  const facilities = Array.from({ length: count(PER_TENANT.facilities, factor) }, (_, i) => ({
    id: r.uuid(),
    tenant_id: tenantId,
    name: `${place.city} ${['North', 'East', 'South', 'West', 'Central'][i % 5]} Facility ${Math.floor(i / 5) + 1}`,
    timezone: 'America/Chicago',
    address: `${100 + i} Main St, ${place.city}, ${place.state}`,
    ...stamps(YEAR_START),
  }));
  r = rand('users');
  const people = Array.from({ length: count(PER_TENANT.people, factor) }, (_, i) => {
    const n = name(r);
    const resident = i % 10 !== 0;
    const at = r.date(YEAR_START, NOW);
    return {
      id: r.uuid(),
      tenant_id: tenantId,
      username: `${tag}-${i}`,
      email: `${tag}-${i}@seed.example.org`,
      // Not a hash of anything: nobody signs in as a generated person.
      password_hash: '!generated',
      first_name: n.first,
      last_name: n.last,
      doc_id: resident ? `D${t}${String(i).padStart(7, '0')}` : null,
      home_facility_id: facilities[i % facilities.length]!.id,
      ...stamps(at),
    };
  });
  await put('identity', 'users', tenantId, people);
  const residents = people.filter((p) => p.doc_id);
  const staff = people.filter((p) => !p.doc_id);
  if (!staff.length) staff.push(people[0]!);
  const roleRows = people.flatMap((p, i) => {
    const role = p.doc_id ? 'resident' : i % 50 === 0 ? 'facility_admin' : 'staff';
    const roleId = opts.roleIds[role];
    return roleId ? [{ user_id: p.id, role_id: roleId, tenant_id: tenantId, assigned_at: p.created_at }] : [];
  });
  await put('identity', 'user_roles', tenantId, roleRows);
  await put(
    'identity',
    'facility_features',
    tenantId,
    facilities.map((f) => ({
      facility_id: f.id,
      tenant_id: tenantId,
      enabled: ['open_content', 'provider_platforms', 'program_management'],
      updated_at: YEAR_START,
    })),
  );

  // campus: facilities, programs, classes (each with one weekly event), enrollments, attendance.
  await put('campus', 'facilities', tenantId, facilities);
  r = rand('programs');
  const programs = Array.from({ length: count(PER_TENANT.programs, factor) }, (_, i) => ({
    id: r.uuid(),
    tenant_id: tenantId,
    name: `${SUBJECTS[i % SUBJECTS.length]} Program ${Math.floor(i / SUBJECTS.length) + 1}`,
    description: `Generated program ${i + 1}.`,
    funding_type: r.pick(['Federal_Grants', 'State_Grants', 'Nonprofit_Organizations', 'Educational_Grants', 'Other']),
    is_active: true,
    ...stamps(YEAR_START),
  }));
  await put('campus', 'programs', tenantId, programs);
  // Program p at facility p mod F and, for every other program, the next facility too.
  const offered = programs.flatMap((p, i) => {
    const at = [facilities[i % facilities.length]!];
    if (i % 2 && facilities.length > 1) at.push(facilities[(i + 1) % facilities.length]!);
    return at.map((f) => ({ facility_id: f.id, program_id: p.id, tenant_id: tenantId, created_at: YEAR_START }));
  });
  await put('campus', 'facilities_programs', tenantId, offered);
  r = rand('classes');
  const classes = Array.from({ length: count(PER_TENANT.classes, factor) }, (_, i) => {
    const facility = facilities[i % facilities.length]!;
    const choices = offered.filter((o) => o.facility_id === facility.id);
    const start = r.date(new Date('2026-01-05T00:00:00Z'), new Date('2026-09-01T00:00:00Z'));
    return {
      id: r.uuid(),
      tenant_id: tenantId,
      facility_id: facility.id,
      program_id: r.pick(choices).program_id,
      name: `${r.pick(SUBJECTS)} ${String.fromCharCode(65 + (i % 26))}${Math.floor(i / 26) + 1}`,
      instructor_name: `${r.pick(FIRST)} ${r.pick(LAST)}`,
      capacity: 150,
      status: r.chance(0.8) ? 'Active' : r.pick(['Scheduled', 'Completed', 'Paused']),
      credit_hours: r.int(1, 4),
      start_dt: start,
      end_dt: new Date(start.getTime() + r.int(90, 180) * DAY),
      waitlist_mode: 'AutoEnroll',
      ...stamps(start),
    };
  });
  await put('campus', 'program_classes', tenantId, classes);
  const events = classes.map((c) => ({
    id: r.uuid(),
    tenant_id: tenantId,
    facility_id: c.facility_id,
    class_id: c.id,
    starts_at: c.start_dt,
    duration_minutes: 90,
    recurrence_rule: 'FREQ=WEEKLY;BYDAY=MO,WE',
    room: `Room ${r.int(100, 140)}`,
    ...stamps(c.start_dt),
  }));
  await put('campus', 'program_class_events', tenantId, events);
  r = rand('enrollments');
  const residentsAt = new Map(facilities.map((f) => [f.id, residents.filter((p) => p.home_facility_id === f.id)]));
  const perClass = Math.ceil(count(PER_TENANT.enrollments, factor) / classes.length);
  const enrollments = classes.flatMap((c) => {
    const pool = residentsAt.get(c.facility_id)!;
    const offset = r.int(0, Math.max(0, pool.length - 1));
    return Array.from({ length: Math.min(perClass, pool.length) }, (_, k) => {
      const status = r.chance(0.85) ? 'Enrolled' : r.pick(['Completed', 'Cancelled', 'Incomplete: Withdrawn']);
      return {
        id: r.uuid(),
        tenant_id: tenantId,
        facility_id: c.facility_id,
        class_id: c.id,
        user_id: pool[(offset + k) % pool.length]!.id,
        enrollment_status: status,
        enrolled_at: c.start_dt,
        enrollment_ended_at: status === 'Enrolled' ? null : c.end_dt,
        ...stamps(c.start_dt),
      };
    });
  });
  await put('campus', 'program_class_enrollments', tenantId, enrollments);
  r = rand('attendance');
  const eventOf = new Map(events.map((e) => [e.class_id, e]));
  const sessions = Math.max(1, Math.round(count(PER_TENANT.attendance, factor) / Math.max(1, enrollments.length)));
  const attendance = enrollments.flatMap((e) =>
    Array.from({ length: sessions }, (_, k) => {
      const date = new Date(eventOf.get(e.class_id)!.starts_at.getTime() + k * 7 * DAY);
      const roll = r.int(0, 9);
      return {
        id: r.uuid(),
        tenant_id: tenantId,
        facility_id: e.facility_id,
        class_id: e.class_id,
        event_id: eventOf.get(e.class_id)!.id,
        enrollment_id: e.id,
        user_id: e.user_id,
        date: date.toISOString().slice(0, 10),
        attendance_status: roll < 8 ? 'present' : roll === 8 ? 'absent_excused' : 'absent_unexcused',
        recorded_by: staff[k % staff.length]!.id,
        ...stamps(date),
      };
    }),
  );
  await put('campus', 'program_class_event_attendance', tenantId, attendance);

  // learning: two provider platforms, their courses, course enrollments, progress milestones.
  r = rand('platforms');
  const platforms = (['canvas_cloud', 'kolibri'] as const).map((type, i) => ({
    id: r.uuid(),
    tenant_id: tenantId,
    type,
    name: `${type === 'kolibri' ? 'Kolibri' : 'Canvas'} ${tag}`,
    base_url: `https://lms${i}.seed.example.org`,
    state: 'enabled',
    ...stamps(YEAR_START),
  }));
  await put('learning', 'provider_platforms', tenantId, platforms);
  r = rand('courses');
  const courses = Array.from({ length: count(PER_TENANT.courses, factor) }, (_, i) => {
    const subject = r.pick(SUBJECTS);
    return {
      id: r.uuid(),
      tenant_id: tenantId,
      provider_platform_id: platforms[i % 2]!.id,
      name: `${r.pick(LEVELS)} ${subject} ${Math.floor(i / SUBJECTS.length) + 1}`,
      description: `Lessons and practice in ${subject.toLowerCase()}, self-paced.`,
      external_id: `course-${i}`,
      type: r.pick(['open_enrollment', 'open_enrollment', 'fixed_enrollment']),
      total_progress_milestones: 10,
      ...stamps(r.date(YEAR_START, NOW)),
    };
  });
  await put('learning', 'courses', tenantId, courses);
  r = rand('course_enrollments');
  const courseEnrollments = Array.from(
    { length: Math.min(count(PER_TENANT.courseEnrollments, factor), residents.length * courses.length) },
    (_, i) => {
      const person = residents[i % residents.length]!;
      const course = courses[(Math.floor(i / residents.length) * 7 + i) % courses.length]!;
      const at = r.date(YEAR_START, NOW);
      return {
        id: r.uuid(),
        tenant_id: tenantId,
        facility_id: person.home_facility_id,
        user_id: person.id,
        course_id: course.id,
        enrolled_at: at,
        ...stamps(at),
      };
    },
  );
  const seen = new Set<string>();
  const uniqueEnrollments = courseEnrollments.filter(
    (e) => !seen.has(`${e.user_id}/${e.course_id}`) && seen.add(`${e.user_id}/${e.course_id}`),
  );
  await put('learning', 'course_enrollments', tenantId, uniqueEnrollments);
  r = rand('milestones');
  const milestones = Array.from({ length: count(PER_TENANT.milestones, factor) }, (_, i) => {
    const e = uniqueEnrollments[i % uniqueEnrollments.length]!;
    return {
      id: r.uuid(),
      tenant_id: tenantId,
      facility_id: e.facility_id,
      user_id: e.user_id,
      course_id: e.course_id,
      external_id: `m-${i}`,
      type: r.pick(['enrollment', 'quiz_submission', 'assignment_submission', 'grade_received', 'discussion_post']),
      is_completed: r.chance(0.6),
      occurred_at: r.date(e.enrolled_at, NOW),
      ...stamps(e.enrolled_at),
    };
  });
  await put('learning', 'milestones', tenantId, milestones);

  // behavior: students (half of them residents with accounts), behavior requests by staff.
  r = rand('students');
  const students = Array.from({ length: count(PER_TENANT.students, factor) }, (_, i) => {
    const n = name(r);
    return {
      id: r.uuid(),
      tenant_id: tenantId,
      facility_id: facilities[i % facilities.length]!.id,
      student_number: `ST-${tag}-${i}`,
      first_name: n.first,
      last_name: n.last,
      grade_level: r.pick(['9', '10', '11', '12', 'GED']),
      user_id: i % 2 === 0 && i / 2 < residents.length ? residents[i / 2]!.id : null,
      ...stamps(r.date(YEAR_START, NOW)),
    };
  });
  await put('behavior', 'students', tenantId, students);
  r = rand('behavior_requests');
  const requests = Array.from({ length: count(PER_TENANT.behaviorRequests, factor) }, () => {
    const student = r.pick(students);
    const at = r.date(YEAR_START, NOW);
    const status = r.pick(['open', 'reflection_assigned', 'reflection_completed', 'reviewed', 'resolved', 'resolved', 'resolved']);
    return {
      id: r.uuid(),
      tenant_id: tenantId,
      student_id: student.id,
      facility_id: student.facility_id,
      teacher_id: r.pick(staff).id,
      status,
      behavior_type: r.pick(['disruption', 'tardiness', 'conflict', 'refusal']),
      description: 'Generated request.',
      status_changed_at: at,
      closed_at: status === 'resolved' ? at : null,
      ...stamps(at),
    };
  });
  await put('behavior', 'behavior_requests', tenantId, requests);

  // market: listings around the tenant's city (the radius search's candidates).
  r = rand('properties');
  const properties = Array.from({ length: count(PER_TENANT.properties, factor) }, (_, i) => {
    const latitude = place.lat + r.int(-45_000, 45_000) / 100_000;
    const longitude = place.lon + r.int(-60_000, 60_000) / 100_000;
    return {
      id: r.uuid(),
      tenant_id: tenantId,
      owner_id: r.pick(people).id,
      property_type: r.pick(['house', 'apartment', 'apartment', 'transitional_housing', 'vacant_lot', 'commercial']),
      status: r.chance(0.8) ? 'available' : r.pick(['reserved', 'sold', 'unlisted']),
      address: {
        street: `${r.int(1, 9999)} ${r.pick(LAST)} Ave`,
        city: place.city,
        state: place.state,
        postalCode: String(r.int(10000, 99999)),
      },
      latitude: latitude.toFixed(6),
      longitude: longitude.toFixed(6),
      price: `${r.int(500, 450_000)}.00`,
      size_sqft: `${r.int(300, 4000)}.00`,
      description: 'Generated listing.',
      source: 'seed',
      source_id: `${tag}-${i}`,
      ...stamps(r.date(YEAR_START, NOW)),
    };
  });
  await put('market', 'properties', tenantId, properties);

  // MongoDB: behavior's activity log and market's digital assets, at `mongoScale` of their volume.
  const mongoFactor = factor * Math.min(1, opts.mongoScale / opts.scale);
  r = rand('activity');
  await putDocs(
    'behavior',
    'user_activity',
    Array.from({ length: Math.round(PER_TENANT.activityEvents * mongoFactor) }, () => {
      const request = r.pick(requests);
      return {
        _id: r.uuid(),
        user_id: request.teacher_id,
        tenant_id: tenantId,
        facility_id: request.facility_id,
        event_type: r.pick(['behavior_request.opened', 'behavior_request.status_changed', 'reflection.submitted']),
        entity_type: 'BehaviorRequest',
        entity_id: request.id,
        timestamp: r.date(YEAR_START, NOW),
      };
    }),
  );
  r = rand('assets');
  await putDocs(
    'market',
    'digital_assets',
    Array.from({ length: Math.round(PER_TENANT.assets * mongoFactor) }, (_, i) => {
      const owner = r.pick(people);
      const listed = r.chance(0.3);
      const price = listed ? `${r.int(1, 500)}.00` : null;
      const at = r.date(YEAR_START, NOW);
      return {
        _id: r.uuid(),
        tenantId,
        name: `${r.pick(SUBJECTS)} badge ${i + 1}`,
        description: 'Generated asset.',
        creatorId: owner.id,
        ownerId: owner.id,
        assetType: r.pick(['badge', 'badge', 'certificate', 'virtual_land']),
        metadata: { attributes: [{ traitType: 'level', value: r.int(1, 5) }] },
        isListed: listed,
        listingPrice: price,
        listingCurrency: listed ? 'USD' : null,
        listingPriceKey: priceKey(price),
        createdAt: at,
        updatedAt: at,
      };
    }),
  );
}
