import type { ProgressNoteResolvers } from '../generated/graphql.ts';

export const ProgressNote: ProgressNoteResolvers = {
  author: (n) => ({ id: n.authorId }),
};
