import type { UserActivityResolvers } from '../generated/graphql.ts';

export const UserActivity: UserActivityResolvers = {
  user: (a) => ({ id: a.user_id }),
  eventType: (a) => a.event_type,
  entityType: (a) => a.entity_type,
  entityId: (a) => a.entity_id,
  facilityId: (a) => a.facility_id,
  createdAt: (a) => a.timestamp,
};
