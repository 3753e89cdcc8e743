// Inputs for the schema fuzzer (test/fuzz.test.ts): for every argument of a root field, a plausible
// value (so the other arguments pass and the one under test decides the answer) and a set of bad
// ones — wrong types, boundaries, unicode (NUL, right-to-left override), huge strings and lists,
// deep objects, operator objects — generated from the argument's type as introspection gives it.
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLInputType,
} from 'graphql';

/** A well-formed UUID that names nothing. */
export const NOBODY = '00000000-0000-4000-8000-00000000f022';

const PLAUSIBLE: Record<string, unknown> = {
  UUID: NOBODY,
  ID: NOBODY,
  String: 'fuzz',
  Int: 1,
  Float: 1.5,
  Boolean: true,
  DateTime: '2026-01-01T00:00:00Z',
  LocalDate: '2026-01-01',
  Decimal: '1.00',
  JSON: {},
  Count: 1,
};

const deep = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { child: value };
  return value;
};

const HUGE = 'x'.repeat(100_000);
const UNICODE = ['a\u0000b', '\u202Eevil\u202C', '\uD83D'];

/** Bad values for one scalar, by name; every scalar also gets an object and a huge string. */
const BAD_SCALARS: Record<string, unknown[]> = {
  UUID: ['not-a-uuid', '', 42, `${NOBODY}\u0000`],
  ID: ['', 42, HUGE],
  String: [42, ...UNICODE, HUGE],
  Int: ['1', 2 ** 31, -(2 ** 31) - 1, 1.5],
  Float: ['x', 1e308, -1e308],
  Boolean: ['true', 0],
  DateTime: ['', '0000-01-01T00:00:00Z', '2026-13-45T99:00:00Z', 5],
  LocalDate: ['2026-02-30', '', '-000001-01-01'],
  Decimal: ['abc', '1e999', '9'.repeat(100), '-0.0000000000001', 1.5],
  JSON: [deep(3_000), { $ne: null }, JSON.parse('{"__proto__": {"polluted": true}}')],
  Count: ['x'],
};

/** A plausible string for a field of this name, so validation passes it and the value under test decides. */
function plausibleString(name: string): string {
  if (/url|endpoint|link/i.test(name)) return 'https://example.org/fuzz';
  if (/email/i.test(name)) return 'fuzz@example.org';
  if (/password/i.test(name)) return 'Fuzz-Pass-2026-long!';
  return 'fuzz';
}

/** A plausible value of a type: what a correct client could send (nested required fields filled). */
export function plausible(type: GraphQLInputType, name = '', depth = 0): unknown {
  if (isNonNullType(type)) return plausible(type.ofType, name, depth);
  if (isListType(type)) return [plausible(type.ofType, name, depth)];
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isScalarType(type)) return type.name === 'String' ? plausibleString(name) : (PLAUSIBLE[type.name] ?? 'fuzz');
  if (depth > 4) return {};
  const value: Record<string, unknown> = {};
  for (const field of Object.values(type.getFields()))
    if (isNonNullType(field.type)) value[field.name] = plausible(field.type, field.name, depth + 1);
  return value;
}

/** Bad values for one position of a type (not its nested fields: `positions` walks those). */
function badValues(type: GraphQLInputType, name: string): unknown[] {
  const bad: unknown[] = [];
  if (isNonNullType(type)) bad.push(null);
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    const element = plausible(inner.ofType, name);
    bad.push(
      Array.from({ length: 10_000 }, () => element),
      [null],
      { not: 'a list' },
    );
    return bad;
  }
  const named = getNamedType(inner);
  if (isEnumType(named)) bad.push('NOT_A_VALUE', 1, '');
  else if (isScalarType(named)) bad.push(...(BAD_SCALARS[named.name] ?? [{}, HUGE]));
  else if (isInputObjectType(named)) bad.push('an object expected', [], {}, { ...(plausible(named, name) as object), unknownField: 1 });
  return bad;
}

/** One argument value to send: the path it changes and the whole argument's value. */
export interface FuzzCase {
  /** e.g. `input.startDt` */
  path: string;
  value: unknown;
  bad: unknown;
}

/** Every case for one argument: bad values at the argument itself and at each field of an input object, one level down. */
export function positions(arg: GraphQLArgument | GraphQLInputField): FuzzCase[] {
  const cases: FuzzCase[] = badValues(arg.type, arg.name).map((bad) => ({ path: arg.name, value: bad, bad }));
  const named = getNamedType(arg.type);
  if (!isInputObjectType(named) || isListType(isNonNullType(arg.type) ? arg.type.ofType : arg.type)) return cases;
  const base = plausible(named, arg.name) as Record<string, unknown>;
  for (const field of Object.values(named.getFields()))
    for (const bad of badValues(field.type, field.name))
      cases.push({ path: `${arg.name}.${field.name}`, value: { ...base, [field.name]: bad }, bad });
  return cases;
}

/** A short printable form of a bad value for a test's failure message. */
export function describeValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}… (${text.length} chars)` : text;
}
