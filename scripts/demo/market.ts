import { pgAdapter } from '@pathway/kit';
import { PrismaClient, type Prisma, type PropertyStatus, type PropertyType } from '../../subgraphs/market/src/generated/prisma/client.ts';
import { ASSETS_COLLECTION, priceKey, type AssetDocument, type MongoDb } from '../../subgraphs/market/src/data/assets.ts';
import { demoId, tenants, users } from './ids.ts';

/** Market demo rows: f1 properties (Postgres), f2 digital assets (Mongo). */
const propertyId = (n: number) => demoId('f1', n);
const assetId = (n: number) => demoId('f2', n);

interface DemoProperty {
  id: string;
  tenantId: string;
  ownerId: string;
  propertyType: PropertyType;
  status: PropertyStatus;
  /** line1, line2, city, region, postalCode, country */
  address: Record<string, string>;
  latitude: string;
  longitude: string;
  /** Decimal strings: money never passes through a float, even in the demo. */
  price: string;
  sizeSqft: string;
  zoning: string;
  description: string;
  features: Prisma.InputJsonObject;
  isVerified: boolean;
  source: string;
  sourceId: string | null;
  createdAt: Date;
}

const properties: DemoProperty[] = [
  {
    id: propertyId(1),
    tenantId: tenants.lakeshore,
    ownerId: users.partner.id,
    propertyType: 'transitional_housing',
    status: 'available',
    address: { line1: '1418 W Lake St', city: 'Chicago', region: 'IL', postalCode: '60607', country: 'US' },
    latitude: '41.885610',
    longitude: '-87.663210',
    price: '650.00',
    sizeSqft: '2400.00',
    zoning: 'RM-5',
    description:
      'Hope House: shared transitional residence for people returning home, with case management on site. Monthly rent, utilities included.',
    features: { beds: 12, sharedKitchen: true, caseManagementOnSite: true, curfew: '22:00', utilitiesIncluded: true },
    isVerified: true,
    source: 'manual',
    sourceId: null,
    createdAt: new Date('2026-10-01T15:00:00.000Z'),
  },
  {
    id: propertyId(2),
    tenantId: tenants.lakeshore,
    ownerId: users.partner.id,
    propertyType: 'apartment',
    status: 'available',
    address: { line1: '3300 N Broadway', line2: 'Apt 2B', city: 'Chicago', region: 'IL', postalCode: '60657', country: 'US' },
    latitude: '41.941530',
    longitude: '-87.644420',
    price: '1250.00',
    sizeSqft: '480.00',
    zoning: 'B3-3',
    description: 'Studio apartment with a second-chance lease: no automatic denial for a conviction record. Near the Red Line.',
    features: { bedrooms: 0, bathrooms: 1, secondChanceLease: true, petsAllowed: false },
    isVerified: false,
    source: 'propwire',
    sourceId: 'PW-88231',
    createdAt: new Date('2026-10-12T18:30:00.000Z'),
  },
  {
    id: propertyId(3),
    tenantId: tenants.riverside,
    ownerId: users.riversideAdmin.id,
    propertyType: 'house',
    status: 'reserved',
    address: { line1: '1720 Mission Inn Ave', city: 'Riverside', region: 'CA', postalCode: '92501', country: 'US' },
    latitude: '33.983040',
    longitude: '-117.374150',
    price: '1895.00',
    sizeSqft: '1320.50',
    zoning: 'R-1-7500',
    description: 'Three-bedroom house leased to families reunifying after release; the county housing office holds the lease.',
    features: { bedrooms: 3, bathrooms: 2, yard: true, nearTransit: true },
    isVerified: true,
    source: 'manual',
    sourceId: null,
    createdAt: new Date('2026-10-05T20:00:00.000Z'),
  },
];

const assets: AssetDocument[] = [
  {
    _id: assetId(1),
    tenantId: tenants.lakeshore,
    name: 'GED Certificate Badge',
    description: 'Awarded for passing all four GED subject tests at North Ridge.',
    creatorId: users.facilityAdmin.id,
    ownerId: users.residentLee.id,
    assetType: 'badge',
    metadata: {
      imageUrl: 'https://badges.example.org/ged/north-ridge.png',
      externalUrl: 'https://badges.example.org/verify/ged-10231',
      attributes: [
        { traitType: 'issuer', value: 'North Ridge Correctional Facility' },
        { traitType: 'awardedOn', value: '2026-09-14' },
        { traitType: 'subjects', value: 4 },
      ],
    },
    blockchainData: null,
    isListed: false,
    listingPrice: null,
    listingCurrency: null,
    createdAt: new Date('2026-09-14T16:00:00.000Z'),
    updatedAt: new Date('2026-09-14T16:00:00.000Z'),
  },
  {
    _id: assetId(2),
    tenantId: tenants.lakeshore,
    name: 'Lakeshore Sunrise (mural study)',
    description: 'Digital print of a mural designed in the North Ridge art program.',
    creatorId: users.residentLee.id,
    ownerId: users.residentLee.id,
    assetType: 'digital_art',
    metadata: {
      imageUrl: 'https://art.example.org/lakeshore-sunrise.png',
      attributes: [{ traitType: 'edition', value: '1 of 25' }],
    },
    blockchainData: {
      contractAddress: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
      tokenId: '17',
      blockchain: 'ethereum',
      tokenStandard: 'ERC-721',
    },
    isListed: true,
    listingPrice: '25.00',
    listingCurrency: 'USD',
    listingPriceKey: priceKey('25.00'),
    createdAt: new Date('2026-10-20T14:00:00.000Z'),
    updatedAt: new Date('2026-10-20T14:00:00.000Z'),
  },
  {
    _id: assetId(3),
    tenantId: tenants.riverside,
    name: 'GED Certificate Badge',
    description: 'Awarded for completing the GED at Riverside Learning Center.',
    creatorId: users.riversideAdmin.id,
    ownerId: users.riversideStudent.id,
    assetType: 'badge',
    metadata: {
      imageUrl: 'https://badges.example.org/ged/riverside.png',
      attributes: [
        { traitType: 'issuer', value: 'Riverside Learning Center' },
        { traitType: 'awardedOn', value: '2026-08-02' },
      ],
    },
    blockchainData: null,
    isListed: false,
    listingPrice: null,
    listingCurrency: null,
    createdAt: new Date('2026-08-02T17:00:00.000Z'),
    updatedAt: new Date('2026-08-02T17:00:00.000Z'),
  },
];

/** Listings of a Lakeshore partner and a Riverside admin; badges and art of residents of both tenants. Idempotent. */
export async function seedMarketDemo(databaseUrl: string, mongo: MongoDb): Promise<void> {
  const prisma = new PrismaClient({ adapter: pgAdapter(databaseUrl, 'market', 2) });
  try {
    for (const { id, ...data } of properties) {
      await prisma.property.upsert({ where: { id }, update: data, create: { id, ...data } });
    }
    const collection = mongo.collection<AssetDocument>(ASSETS_COLLECTION);
    for (const asset of assets) await collection.replaceOne({ _id: asset._id }, asset, { upsert: true });
  } finally {
    await prisma.$disconnect();
  }
}
