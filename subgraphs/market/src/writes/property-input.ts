import { parseInput } from '@pathway/kit';
import { z } from 'zod';
import { Prisma } from '../generated/prisma/client.ts';

/** A decimal (already parsed by the Decimal scalar) within [min, max] with at most `scale` fraction digits. */
export const decimal = (min: number, max: number, scale: number, minExclusive = false) =>
  z
    .custom<Prisma.Decimal>((v) => Prisma.Decimal.isDecimal(v), 'must be a decimal')
    .refine((d) => (minExclusive ? d.greaterThan(min) : d.greaterThanOrEqualTo(min)) && d.lessThanOrEqualTo(max), {
      message: `must be ${minExclusive ? 'more than' : 'at least'} ${min} and at most ${max}`,
    })
    .refine((d) => d.decimalPlaces() <= scale, { message: `at most ${scale} decimal places` });

/** An http(s) URL of at most `max` characters. */
export const httpUrl = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `at most ${max} characters`)
    .regex(/^https?:\/\/\S+$/i, 'must be an http(s) URL');

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

const address = z.object({
  line1: text(200),
  line2: z.string().trim().max(200).nullish(),
  city: text(100),
  region: z.string().trim().max(100).nullish(),
  postalCode: z.string().trim().max(20).nullish(),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as US'),
});

const features = z
  .record(z.string().min(1).max(100), z.unknown())
  .refine((f) => Object.keys(f).length <= 50, { message: 'at most 50 keys' })
  .refine((f) => JSON.stringify(f).length <= 10_000, { message: 'at most 10,000 characters as JSON' });

/** Every field a listing holds, as stored; the create and the merged update are both checked against it. */
export const propertyFields = z
  .object({
    propertyType: z.enum(['vacant_lot', 'house', 'apartment', 'commercial', 'transitional_housing']),
    address,
    latitude: decimal(-90, 90, 6).nullish(),
    longitude: decimal(-180, 180, 6).nullish(),
    // numeric(12, 2): up to 9,999,999,999.99
    price: decimal(0, 9_999_999_999.99, 2),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD'),
    sizeSqft: decimal(0, 99_999_999.99, 2, true).nullish(),
    zoning: z.string().trim().max(100).nullish(),
    description: z.string().max(10_000).nullish(),
    features: features,
  })
  .refine((p) => (p.latitude == null) === (p.longitude == null), {
    message: 'latitude and longitude go together (both or neither)',
    path: ['longitude'],
  });
export type PropertyFields = z.infer<typeof propertyFields>;

export const parseProperty = (value: unknown) => parseInput(propertyFields, value, 'The listing');

export const importRef = z.object({
  source: z.string().trim().min(1).max(100).nullish(),
  sourceId: z.string().trim().min(1).max(255).nullish(),
});

export const mediaList = z
  .array(
    z.object({
      mediaType: z.enum(['image', 'video', 'model_3d']),
      url: z
        .string()
        .max(2048)
        .refine((u) => /^https?:\/\/[^\s/$.?#].[^\s]*$/i.test(u), { message: 'must be an http(s) URL' }),
      isPrimary: z.boolean().nullish(),
    }),
  )
  .max(20, 'at most 20 media')
  .refine((media) => media.filter((m) => m.isPrimary).length <= 1, { message: 'at most one primary medium' });

export const reasonText = z.string().trim().max(1000, 'at most 1,000 characters').nullish();
