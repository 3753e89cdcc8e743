import type { MarketContext } from '../context.ts';
import type { Property as PropertyRow } from '../generated/prisma/client.ts';

const text = (value: unknown) => (typeof value === 'string' ? value : null);

export const Property = {
  __resolveReference: (ref: { id: string }, ctx: MarketContext) => ctx.loaders.property.load(ref.id),
  owner: (property: PropertyRow) => ({ __typename: 'User', id: property.ownerId }),
  /** The JSONB column, read defensively: imported rows may lack parts of the address. */
  address: ({ address }: PropertyRow) => {
    const a = address !== null && typeof address === 'object' && !Array.isArray(address) ? (address as Record<string, unknown>) : {};
    return {
      line1: text(a.line1),
      line2: text(a.line2),
      city: text(a.city),
      region: text(a.region),
      postalCode: text(a.postalCode),
      country: text(a.country),
    };
  },
};
