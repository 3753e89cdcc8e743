import { DateTimeResolver, JSONResolver, LocalDateResolver } from 'graphql-scalars';
import type { GraphQLResolverMap } from '@pathway/kit';
import type { BehaviorContext } from '../context.ts';
import { Family } from './Family.ts';
import { Guardian } from './Guardian.ts';
import { Query } from './Query.ts';
import { Student } from './Student.ts';
import { User } from './User.ts';

export const resolvers = {
  DateTime: DateTimeResolver,
  LocalDate: LocalDateResolver,
  JSON: JSONResolver,
  Query,
  Student,
  Family,
  Guardian,
  User,
} as unknown as GraphQLResolverMap<BehaviorContext>;
