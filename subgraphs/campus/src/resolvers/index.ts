import { DateTimeResolver } from 'graphql-scalars';
import type { GraphQLResolverMap } from '@pathway/kit';
import type { CampusContext } from '../context.ts';
import { ClassEnrollment } from './ClassEnrollment.ts';
import { Facility } from './Facility.ts';
import { Program } from './Program.ts';
import { ProgramClass } from './ProgramClass.ts';
import { Query } from './Query.ts';
import { User } from './User.ts';

export const resolvers = { DateTime: DateTimeResolver, Query, Facility, Program, ProgramClass, ClassEnrollment, User } as unknown as GraphQLResolverMap<CampusContext>;
