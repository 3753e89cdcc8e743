import { GraphQLScalarType, Kind } from 'graphql';
import { badInput } from '@pathway/kit';
import { Prisma } from './generated/prisma/client.ts';

/** Plain decimal notation only: no exponent, no thousands separators; bounded so input stays cheap. */
const DECIMAL_TEXT = /^-?\d{1,20}(\.\d{1,10})?$/;
const HINT = 'Send decimals as strings such as "1250.00", so no cent is lost to floating point.';

/** What the Decimal scalar hands resolvers for an argument (codegen.ts maps the scalar's input to it). */
export type DecimalInput = Prisma.Decimal;

/** Parses client input into an exact decimal; anything but a plain decimal string is BAD_USER_INPUT. */
export function parseDecimal(input: unknown): DecimalInput {
  if (typeof input !== 'string') throw badInput(`Decimal values must be strings. ${HINT}`);
  const text = input.trim();
  if (!DECIMAL_TEXT.test(text)) throw badInput(`"${text.slice(0, 40)}" is not a decimal number. ${HINT}`);
  return new Prisma.Decimal(text);
}

/** "1250" → "1250.00", "41.878113" stays as is. Exact throughout: never passes through a JS number. */
export function formatDecimal(value: Prisma.Decimal): string {
  return value.toFixed(Math.max(2, value.decimalPlaces()));
}

/** What storage hands back: a Prisma Decimal, a decimal string, or a BSON Decimal128 (its toString is exact). */
function toDecimal(value: unknown): Prisma.Decimal {
  if (Prisma.Decimal.isDecimal(value)) return value;
  const text =
    typeof value === 'string'
      ? value
      : value !== null && typeof value === 'object' && (value as { _bsontype?: unknown })._bsontype === 'Decimal128'
        ? String(value)
        : null;
  // A JS number here would mean money went through a float somewhere: fail loudly, don't round.
  if (text === null || !DECIMAL_TEXT.test(text))
    throw new Error(`Decimal scalar cannot serialize ${typeof value} ${String(value).slice(0, 40)}`);
  return new Prisma.Decimal(text);
}

export const DecimalScalar = new GraphQLScalarType<DecimalInput, string>({
  name: 'Decimal',
  description: 'An exact decimal number, as a string such as "1250.00".',
  serialize: (value) => formatDecimal(toDecimal(value)),
  parseValue: (value) => parseDecimal(value),
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw badInput(`Decimal literals must be quoted strings. ${HINT}`);
    return parseDecimal(ast.value);
  },
});
