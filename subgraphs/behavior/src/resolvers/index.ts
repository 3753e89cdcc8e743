import { DateTimeResolver, JSONResolver, LocalDateResolver } from 'graphql-scalars';
import type { Resolvers } from '../generated/graphql.ts';
import { Family } from './Family.ts';
import { Guardian } from './Guardian.ts';
import { Query } from './Query.ts';
import { Student } from './Student.ts';
import { User } from './User.ts';

export const resolvers: Resolvers = {
  DateTime: DateTimeResolver,
  LocalDate: LocalDateResolver,
  JSON: JSONResolver,
  Query,
  Student,
  Family,
  Guardian,
  User,
};
