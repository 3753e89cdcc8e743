import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { codes, type GraphQLResponse } from './support/client.ts';
import { seed, type SeededFacility, type SeededTenant, type SignedIn } from './support/seed.ts';

// bulkCreateUsers as UnlockEdv2's bulk upload: every row's problems at once (row, field, code),
// nothing created while a row is refused unless createValid, CSV text with a per-row report and the
// refused rows back as CSV with a reason column.
const BULK = `mutation($input: [CreateUserInput!], $csv: String, $createValid: Boolean, $pw: String) {
  bulkCreateUsers(input: $input, csv: $csv, createValid: $createValid, temporaryPassword: $pw) {
    created { id username residentNumber facility { id } }
    rowCount validCount rejectedCount
    rejected { row line username problems { field message code } }
    rejectedCsv
  }
}`;
const PW = 'Bulk-Temp-Pass-2026!';
const suffix = () => randomBytes(4).toString('hex');

interface Report {
  created: { id: string; username: string; residentNumber: string | null; facility: { id: string } | null }[];
  rowCount: number;
  validCount: number;
  rejectedCount: number;
  rejected: { row: number; line: number | null; username: string | null; problems: { field: string; message: string; code: string }[] }[];
  rejectedCsv: string | null;
}

let tenant: SeededTenant;
let facility: SeededFacility;
let admin: SignedIn;
beforeAll(async () => {
  tenant = await seed.tenant();
  facility = await tenant.facility();
  admin = await (await tenant.departmentAdmin()).api();
});

const person = (overrides: Record<string, unknown> = {}) => {
  const s = suffix();
  return {
    username: `bulk.${s}`,
    email: `bulk.${s}@example.org`,
    firstName: 'Bulk',
    lastName: `Person ${s}`,
    role: 'resident',
    facilityId: facility.id,
    temporaryPassword: PW,
    ...overrides,
  };
};

const bulk = (variables: Record<string, unknown>, as: SignedIn = admin) => as.gql<{ bulkCreateUsers: Report }>(BULK, variables);
const report = (res: GraphQLResponse<{ bulkCreateUsers: Report }>) => {
  if (!res.data?.bulkCreateUsers) throw new Error(JSON.stringify(res.errors));
  return res.data.bulkCreateUsers;
};
const existing = async (usernames: string[]) => {
  const found: string[] = [];
  for (const u of usernames) {
    const res = await admin.gql<{ users: { nodes: { username: string }[] } }>(
      'query($s: String!) { users(first: 5, filter: { search: $s }) { nodes { username } } }',
      { s: u },
    );
    found.push(...(res.data?.users.nodes.map((n) => n.username).filter((n) => n === u) ?? []));
  }
  return found;
};

describe('bulkCreateUsers from a list', () => {
  it('reports every problem of every row at once, with row and field, and creates nothing', async () => {
    const fine = person();
    const rows = [
      fine,
      person({ email: 'nope', firstName: '', temporaryPassword: 'short' }),
      person({ role: 'wizard', facilityId: '00000000-0000-4000-8000-000000000000' }),
      person({ username: fine.username, email: fine.email }),
    ];
    const r = report(await bulk({ input: rows }));
    expect(r).toMatchObject({ created: [], rowCount: 4, validCount: 1, rejectedCount: 3 });
    expect(r.rejected).toEqual([
      {
        row: 2,
        line: null,
        username: rows[1]!.username,
        problems: [
          { field: 'email', message: 'not a valid email address', code: 'BAD_USER_INPUT' },
          { field: 'firstName', message: 'required', code: 'BAD_USER_INPUT' },
          {
            field: 'temporaryPassword',
            message: expect.stringMatching(/^too weak: it has 5 characters, 12 are needed; it needs an uppercase/),
            code: 'BAD_USER_INPUT',
          },
        ],
      },
      {
        row: 3,
        line: null,
        username: rows[2]!.username,
        problems: [
          { field: 'facilityId', message: 'no such facility in this tenant', code: 'NOT_FOUND' },
          { field: 'role', message: 'There is no role named "wizard".', code: 'BAD_USER_INPUT' },
        ],
      },
      {
        row: 4,
        line: null,
        username: fine.username,
        problems: [
          { field: 'username', message: 'the same as row 1', code: 'CONFLICT' },
          { field: 'email', message: 'the same as row 1', code: 'CONFLICT' },
        ],
      },
    ]);
    // The refused rows as CSV: the columns, a reason, and never the password.
    const lines = r.rejectedCsv!.trimEnd().split('\n');
    expect(lines[0]).toBe('username,email,firstName,lastName,role,facilityId,residentNumber,tenantId,reason');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain('email: not a valid email address; firstName: required; temporaryPassword: too weak');
    expect(r.rejectedCsv).not.toContain(PW);
    expect(await existing([fine.username])).toEqual([]);
  });

  it('creates the valid rows when asked (createValid), and reports the rest', async () => {
    const good = [person({ residentNumber: 'DOC-1' }), person()];
    const r = report(await bulk({ input: [good[0], person({ email: 'bad' }), good[1]], createValid: true }));
    expect(r.created.map((u) => u.username)).toEqual(good.map((g) => g.username));
    expect(r.created[0]).toMatchObject({ residentNumber: 'DOC-1', facility: { id: facility.id } });
    expect(r.rejected.map((x) => x.row)).toEqual([2]);
    expect(await existing(good.map((g) => g.username))).toEqual(good.map((g) => g.username));
  });

  it('reports rows outside the caller’s reach as FORBIDDEN problems; staff and residents are refused', async () => {
    const other = await tenant.facility();
    const facilityAdmin = await (await facility.facilityAdmin()).api();
    const r = report(
      await bulk({ input: [person(), person({ facilityId: other.id }), person({ role: 'department_admin' })] }, facilityAdmin),
    );
    expect(r.created).toEqual([]);
    expect(r.rejected.map((x) => [x.row, x.problems.map((p) => `${p.field} ${p.code}`)])).toEqual([
      [2, ['facilityId FORBIDDEN']],
      [3, ['role FORBIDDEN']],
    ]);
    for (const who of [await facility.staff(), await facility.resident()])
      expect(codes(await bulk({ input: [person()] }, await who.api()))).toEqual(['FORBIDDEN']);
  });
});

describe('bulkCreateUsers from CSV', () => {
  const csvOf = (header: string, rows: string[]) => [header, ...rows].join('\n') + '\n';
  const row = (p: ReturnType<typeof person>, extra = '') =>
    `${p.username},${p.email},${p.firstName},${p.lastName},${p.role},${p.facilityId}${extra}`;

  it('creates every row of a good file; headers may be snake_case or spelled out; rows without a password get temporaryPassword', async () => {
    const people = [person(), person()];
    const csv = csvOf('Username,EMAIL,first_name,Last Name,role,facility_id,resident_number', [
      row(people[0]!, ',DOC-7'),
      row(people[1]!, ','),
    ]);
    const r = report(await bulk({ csv, pw: PW }));
    expect(r).toMatchObject({ rowCount: 2, validCount: 2, rejectedCount: 0, rejected: [], rejectedCsv: null });
    expect(r.created.map((u) => [u.username, u.residentNumber])).toEqual([
      [people[0]!.username, 'DOC-7'],
      [people[1]!.username, null],
    ]);
  });

  it('reports each refused row with its line, duplicates within the file too, and gives them back as CSV with a reason', async () => {
    const [a, b, c] = [person(), person(), person()];
    const csv = csvOf('username,email,firstName,lastName,role,facilityId', [
      row(a),
      '',
      row({ ...b, email: 'not-an-email' }),
      row({ ...c, username: a.username }),
      row({ ...c, username: `=cmd.${suffix()}`, role: 'wizard' }),
    ]);
    const r = report(await bulk({ csv, pw: PW, createValid: true }));
    expect(r.created.map((u) => u.username)).toEqual([a.username]);
    expect(r.rejected.map((x) => [x.row, x.line, x.problems.map((p) => `${p.field}: ${p.message}`)])).toEqual([
      [2, 4, ['email: not a valid email address']],
      [3, 5, ['username: the same as row 1']],
      [4, 6, ['username: only letters, digits, dot, underscore and dash', 'role: There is no role named "wizard".']],
    ]);
    const lines = r.rejectedCsv!.trimEnd().split('\n');
    expect(lines[0]).toBe('username,email,firstName,lastName,role,facilityId,reason');
    expect(lines[1]).toBe(`${b.username},not-an-email,Bulk,${b.lastName},resident,${facility.id},email: not a valid email address`);
    expect(lines[2]).toContain(`${a.username},${c.email}`);
    // A cell that starts like a formula is written as text.
    expect(lines[3]!.startsWith("'=cmd.")).toBe(true);
  });

  it('refuses a file it cannot take, naming what is wrong, and creates nothing', async () => {
    const p = person();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ csv: csvOf('username,email,firstName', [`${p.username},${p.email},Bulk`]) }, /missing columns lastName, role/],
      [
        { csv: csvOf('username,email,firstName,lastName,role,facilityId,favouriteColour', [`${row(p)},blue`]) },
        /unknown column favouriteColour/,
      ],
      [{ csv: csvOf('username,email,firstName,lastName,role,first_name', [row(p)]) }, /given twice: first_name/],
      [
        { csv: csvOf('username,email,firstName,lastName,role,facilityId', [`${p.username},"unclosed,Bulk,X,resident,${facility.id}`]) },
        /could not be read/,
      ],
      [{ csv: csvOf('username,email,firstName,lastName,role,facilityId', [`${p.username},${p.email}`]) }, /could not be read/],
      [{ csv: 'username,email,firstName,lastName,role\n' }, /no rows/],
      [
        {
          csv: csvOf(
            'username,email,firstName,lastName,role,facilityId',
            Array.from({ length: 501 }, () => row(person())),
          ),
          pw: PW,
        },
        /at most 500/,
      ],
      [{ csv: csvOf('username,email,firstName,lastName,role,facilityId', [row(p)]), input: [p] }, /exactly one of input and csv/],
      [{}, /exactly one of input and csv/],
      [{ input: [] }, /between 1 and 500/],
    ];
    for (const [variables, message] of cases) {
      const res = await bulk({ pw: PW, ...variables });
      expect(codes(res), JSON.stringify(res.errors)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0]!.message).toMatch(message);
    }
    expect(await existing([p.username])).toEqual([]);
  });
});
