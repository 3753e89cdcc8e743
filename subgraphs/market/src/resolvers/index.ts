import { DateTimeScalar, JSONScalar, UUIDScalar, freshReadsAfterWrites } from '@pathway/kit';
import type { Resolvers } from '../generated/graphql.ts';
import { DecimalScalar } from '../decimal.ts';
import { ActivityLogEntry } from './ActivityLogEntry.ts';
import { DigitalAsset } from './DigitalAsset.ts';
import { Mutation } from './Mutation.ts';
import { Property } from './Property.ts';
import { Query } from './Query.ts';
import { Reservation } from './Reservation.ts';
import { Transaction } from './Transaction.ts';
import { User } from './User.ts';
import { CityResource } from './CityResource.ts';
import { PlacedAsset, SpaceAccessControl, VirtualSpace } from './VirtualSpace.ts';

export const resolvers: Resolvers = {
  UUID: UUIDScalar,
  DateTime: DateTimeScalar,
  JSON: JSONScalar,
  Decimal: DecimalScalar,
  Query,
  Mutation: freshReadsAfterWrites(Mutation),
  Property,
  ActivityLogEntry,
  Reservation,
  Transaction,
  DigitalAsset,
  User,
  CityResource,
  VirtualSpace,
  PlacedAsset,
  SpaceAccessControl,
};
