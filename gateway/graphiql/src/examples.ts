// GraphiQL's example operations per role: `gateway/graphiql/operations/<set>/*.graphql`, one named
// operation per file, with variables from the demo data (scripts/demo, which the test stack loads
// too: test/graphiql-examples runs every example as each role it is shown to). Pure, so the browser
// bundle (import.meta.glob) and the test (node:fs) share it.
import { demoId } from '../../../scripts/demo/ids.ts';

/** Who sees which set (a person sees every set one of their roles is listed for, after "Start here"). */
export const EXAMPLE_SETS = {
  analyst: ['analyst'],
  admin: ['system_admin', 'department_admin', 'facility_admin'],
  // The tenant's webhooks (identity.webhook.manage) and its residents' digital assets (market.asset.manage).
  'tenant-admin': ['system_admin', 'department_admin'],
} as const satisfies Record<string, readonly string[]>;
export type ExampleSet = keyof typeof EXAMPLE_SETS;

/** The demo year: the demo's classes, enrollments and sign-ins fall in it. */
const demoYear = { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' };

/** Variables by operation name. `demoId('c2', 1)`: scripts/demo/campus.ts's class 1, GED Preparation – Morning Cohort at North Ridge. */
export const EXAMPLE_VARIABLES: Record<string, Record<string, unknown>> = {
  PeopleStats: demoYear,
  LearningStats: demoYear,
  FacilityComparison: demoYear,
  People: { search: 'lee' },
  ClassRoster: { classId: demoId('c2', 1) },
  ClassAttendance: { classId: demoId('c2', 1), ...demoYear },
  AdminPeopleStats: demoYear,
};

export interface Example {
  set: ExampleSet | 'start-here';
  /** The operation's name (also the tab's title). */
  name: string;
  query: string;
  variables: Record<string, unknown> | undefined;
  subscription: boolean;
}

const operationOf = (query: string) => /^\s*(query|mutation|subscription)\s+(\w+)/m.exec(query);

/** The examples from their files (path → text; paths end `operations/<set>/<file>.graphql` or `operations/start-here.graphql`). */
export function loadExamples(files: Record<string, string>): Example[] {
  return Object.entries(files)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([path, query]) => {
      const set = /operations\/(?:([\w-]+)\/)?[\w-]+\.graphql$/.exec(path)?.[1] ?? 'start-here';
      if (set !== 'start-here' && !(set in EXAMPLE_SETS)) throw new Error(`${path}: no example set "${set}" (EXAMPLE_SETS)`);
      const operation = operationOf(query);
      if (!operation) throw new Error(`${path}: needs one named operation`);
      const name = operation[2]!;
      return { set: set as Example['set'], name, query, variables: EXAMPLE_VARIABLES[name], subscription: operation[1] === 'subscription' };
    });
}

/** What a person with these roles is shown: "Start here" first, then each of their sets. */
export function examplesFor(examples: Example[], roles: readonly string[]): Example[] {
  const sets = new Set(
    Object.entries(EXAMPLE_SETS)
      .filter(([, forRoles]) => forRoles.some((role) => roles.includes(role)))
      .map(([set]) => set),
  );
  return [...examples.filter((e) => e.set === 'start-here'), ...examples.filter((e) => sets.has(e.set))].filter(
    // A name shown twice (an administrator in two sets) opens once.
    (e, i, all) => all.findIndex((o) => o.name === e.name) === i,
  );
}

/** GraphiQL's tab definitions for them. */
export const tabsOf = (examples: Example[]) =>
  examples.map((e) => ({ query: e.query, variables: e.variables ? JSON.stringify(e.variables, null, 2) : undefined }));
