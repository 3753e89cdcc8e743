import type { ProfileResolvers } from '../generated/graphql.ts';

export const Profile: ProfileResolvers = {
  socialLinks: (doc) => doc.socialLinks ?? {},
  skills: (doc) => doc.skills ?? [],
  interests: (doc) => doc.interests ?? [],
  goals: (doc) => doc.goals ?? [],
};
