import type {
  UserInsightContentResolvers,
  UserInsightSubtopicResolvers,
  UserInsightTopicResolvers,
  UserInsightsMetadataResolvers,
  UserInsightsResolvers,
} from '../generated/graphql.ts';

// Seed 001's user_insights keeps the seed's snake_case field names in MongoDB; GraphQL speaks camelCase.
export const UserInsights: UserInsightsResolvers = {
  user: (d) => ({ id: d.user_id }),
  createdAt: (d) => d.created_at,
  updatedAt: (d) => d.updated_at,
};

export const UserInsightTopic: UserInsightTopicResolvers = {
  id: (t) => t.topic_id,
  createdAt: (t) => t.created_at,
  updatedAt: (t) => t.updated_at,
};

export const UserInsightSubtopic: UserInsightSubtopicResolvers = {
  id: (s) => s.subtopic_id,
  createdAt: (s) => s.created_at,
  updatedAt: (s) => s.updated_at,
};

export const UserInsightContent: UserInsightContentResolvers = {
  keyPoints: (c) => c.key_points,
};

export const UserInsightsMetadata: UserInsightsMetadataResolvers = {
  profileCompleteness: (m) => m.profile_completeness,
  interestScore: (m) => m.interest_score,
};
