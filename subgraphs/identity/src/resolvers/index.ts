import { DateTimeResolver } from 'graphql-scalars';
import type { GraphQLResolverMap } from '@pathway/kit';
import type { IdentityContext } from '../context.ts';
import { Mutation } from './Mutation.ts';
import { Query } from './Query.ts';
import { Tenant } from './Tenant.ts';
import { User } from './User.ts';

export const resolvers = { DateTime: DateTimeResolver, Query, Mutation, User, Tenant } as unknown as GraphQLResolverMap<IdentityContext>;
