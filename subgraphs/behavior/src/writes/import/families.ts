import type { GuardianRow, StudentRow } from './parse.ts';

/**
 * Step three, family normalization (seed 002): students who share a guardian contact (email or
 * phone) or an address are one family. Rows are joined through those keys (union-find), so a chain
 * (A and B share a phone, B and C an address) is one family too.
 */

/** Digits only, the last 10 (a leading +1 or 0 does not make two phones). */
export const phoneKey = (phone: string | null) => {
  const digits = (phone ?? '').replace(/\D/g, '');
  return digits.length >= 7 ? digits.slice(-10) : null;
};
/** Lower case, punctuation dropped, spaces collapsed: "418 Maple St." and "418 maple st" are one address. */
export const addressKey = (address: string | null) => {
  const key = (address ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  return key.length >= 5 ? key : null;
};

export function contactKeys(row: StudentRow): string[] {
  const keys = row.guardians.flatMap((g) => [g.email ? `e:${g.email}` : null, phoneKey(g.phone) ? `p:${phoneKey(g.phone)}` : null]);
  keys.push(
    phoneKey(row.homePhone) ? `p:${phoneKey(row.homePhone)}` : null,
    addressKey(row.address) ? `a:${addressKey(row.address)}` : null,
  );
  return keys.filter((k): k is string => k !== null);
}

/** Groups rows into families: each group's rows in file order. Rows with no contact at all stand alone. */
export function groupFamilies(rows: StudentRow[]): StudentRow[][] {
  const parent = rows.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const owner = new Map<string, number>();
  rows.forEach((row, i) => {
    for (const key of contactKeys(row)) {
      const j = owner.get(key);
      if (j === undefined) owner.set(key, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, StudentRow[]>();
  rows.forEach((row, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), row]));
  return [...groups.values()];
}

/** One guardian per person in a group: the same email, else the same phone, else the same name. */
export const guardianKey = (g: Pick<GuardianRow, 'email' | 'phone' | 'firstName' | 'lastName'>) =>
  g.email ? `e:${g.email}` : phoneKey(g.phone) ? `p:${phoneKey(g.phone)}` : `n:${g.firstName.toLowerCase()} ${g.lastName.toLowerCase()}`;

export function distinctGuardians(rows: StudentRow[]): GuardianRow[] {
  const seen = new Map<string, GuardianRow>();
  for (const g of rows.flatMap((r) => r.guardians)) if (!seen.has(guardianKey(g))) seen.set(guardianKey(g), g);
  return [...seen.values()];
}

/** What a new family is called and reached at: the file's family name, else the first guardian's (or student's) last name. */
export function newFamilyFields(rows: StudentRow[]) {
  const first = rows.find((r) => r.guardians.length) ?? rows[0]!;
  const guardian = first.guardians[0];
  return {
    familyName: rows.find((r) => r.familyName)?.familyName ?? guardian?.lastName ?? first.lastName,
    primaryContact: guardian ? `${guardian.firstName} ${guardian.lastName}` : null,
    address: rows.find((r) => r.address)?.address ?? null,
    phone: rows.find((r) => r.homePhone)?.homePhone ?? guardian?.phone ?? null,
  };
}
