import { hasPermission, type Identity, type PageArgs } from '@pathway/kit';
import type { Course, HelpfulLink, Library, Prisma, Video } from '../generated/prisma/client.ts';
import type { LearningSearchKind } from '../generated/graphql.ts';
import { courseAccess, helpfulLinkAccess, libraryAccess, videoAccess } from '../access.ts';
import { rankedCandidates, rankedPage } from './ranked-page.ts';

type Tx = Prisma.TransactionClient;

/** A hit of the combined search: the row, what kind it is (the union's type), and its rank. */
export type SearchHit =
  | { kind: 'course'; row: Course; rank: number; id: string }
  | { kind: 'library'; row: Library; rank: number; id: string }
  | { kind: 'video'; row: Video; rank: number; id: string }
  | { kind: 'helpful_link'; row: HelpfulLink; rank: number; id: string };

const ALL_KINDS: LearningSearchKind[] = ['course', 'library', 'video', 'helpful_link'];

const hitsOf = <K extends SearchHit['kind'], R extends { id: string }>(kind: K, rows: R[], rank: Map<string, number>) =>
  rows.map((row) => ({ kind, row, rank: rank.get(row.id)!, id: row.id }) as unknown as Extract<SearchHit, { kind: K }>);

/**
 * One ranked search across courses, libraries, videos and helpful links: per table Postgres finds
 * the best matches in the caller's tenant (rankedCandidates), each entity's access filter then
 * keeps what the caller may see (as every list does), and the hits merge by rank (ts_rank is
 * comparable across tables: the same weights, A for titles and B for descriptions).
 */
export async function learningSearch(
  tx: Tx,
  identity: Identity,
  text: string,
  kinds: LearningSearchKind[] | null | undefined,
  page: PageArgs,
) {
  const allowed = ALL_KINDS.filter((kind) =>
    kind === 'course'
      ? hasPermission(identity, 'learning.course.read')
      : hasPermission(identity, 'learning.content.read') || hasPermission(identity, 'learning.content.manage'),
  );
  const wanted = new Set(allowed.filter((kind) => !kinds?.length || kinds.includes(kind)));
  const ranks = async (table: Parameters<typeof rankedCandidates>[1], kind: LearningSearchKind) =>
    wanted.has(kind) ? new Map((await rankedCandidates(tx, table, text, identity)).map((r) => [r.id, r.rank])) : new Map<string, number>();
  // One transaction's connection: the statements run one after another anyway.
  const courseRanks = await ranks('courses', 'course');
  const libraryRanks = await ranks('libraries', 'library');
  const videoRanks = await ranks('videos', 'video');
  const linkRanks = await ranks('helpful_links', 'helpful_link');
  const idsIn = (rank: Map<string, number>) => ({ id: { in: [...rank.keys()] } });
  const hits: SearchHit[] = [
    ...(courseRanks.size
      ? hitsOf(
          'course',
          await tx.course.findMany({ where: { AND: [idsIn(courseRanks), { deletedAt: null }, courseAccess.where(identity)] } }),
          courseRanks,
        )
      : []),
    ...(libraryRanks.size
      ? hitsOf('library', await tx.library.findMany({ where: { AND: [idsIn(libraryRanks), libraryAccess.where(identity)] } }), libraryRanks)
      : []),
    ...(videoRanks.size
      ? hitsOf('video', await tx.video.findMany({ where: { AND: [idsIn(videoRanks), videoAccess.where(identity)] } }), videoRanks)
      : []),
    ...(linkRanks.size
      ? hitsOf(
          'helpful_link',
          await tx.helpfulLink.findMany({ where: { AND: [idsIn(linkRanks), helpfulLinkAccess.where(identity)] } }),
          linkRanks,
        )
      : []),
  ];
  const { nodes, cursorOf, pageInfo } = rankedPage(hits, (hit) => hit.rank, page);
  return { hits: nodes, cursorOf, pageInfo };
}

const TYPENAME = { course: 'Course', library: 'Library', video: 'Video', helpful_link: 'HelpfulLink' } as const;

/** A hit as the `LearningSearchResult` union member it is. */
export const asSearchResult = (hit: SearchHit) => ({ ...hit.row, __typename: TYPENAME[hit.kind] });
