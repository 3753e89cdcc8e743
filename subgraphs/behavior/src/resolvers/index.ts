import { DateTimeScalar, JSONScalar, LocalDateScalar, UUIDScalar } from '@pathway/kit';
import type { Resolvers } from '../generated/graphql.ts';
import { Family } from './Family.ts';
import { Guardian } from './Guardian.ts';
import { Query } from './Query.ts';
import { Student } from './Student.ts';
import { User } from './User.ts';

export const resolvers: Resolvers = {
  UUID: UUIDScalar,
  DateTime: DateTimeScalar,
  LocalDate: LocalDateScalar,
  JSON: JSONScalar,
  Query,
  Student,
  Family,
  Guardian,
  User,
};
