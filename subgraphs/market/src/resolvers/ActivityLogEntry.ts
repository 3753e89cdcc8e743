import type { ActivityLogEntryResolvers } from '../generated/graphql.ts';

export const ActivityLogEntry: ActivityLogEntryResolvers = {
  actor: (line) => ({ id: line.actorId }),
};
