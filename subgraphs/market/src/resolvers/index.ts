import { CountScalar, DateTimeScalar, JSONScalar, UUIDScalar, freshReadsAfterWrites } from '@pathway/kit';
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
import { BusinessModel } from './BusinessModel.ts';
import { BusinessProject, ProjectFinancials, ProjectMilestone } from './BusinessProject.ts';
import { Tag } from './Tag.ts';
import { Recommendation } from './Recommendation.ts';
import { PlacedAsset, SpaceAccessControl, VirtualSpace } from './VirtualSpace.ts';

export const resolvers: Resolvers = {
  UUID: UUIDScalar,
  DateTime: DateTimeScalar,
  JSON: JSONScalar,
  Count: CountScalar,
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
  Tag,
  BusinessModel,
  BusinessProject,
  ProjectMilestone,
  ProjectFinancials,
  Recommendation,
};
