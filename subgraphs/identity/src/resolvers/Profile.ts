import type { ProfileDoc } from '../data/profiles.ts';

export const Profile = {
  socialLinks: (doc: ProfileDoc) => doc.socialLinks ?? {},
  skills: (doc: ProfileDoc) => doc.skills ?? [],
  interests: (doc: ProfileDoc) => doc.interests ?? [],
  goals: (doc: ProfileDoc) => doc.goals ?? [],
};
