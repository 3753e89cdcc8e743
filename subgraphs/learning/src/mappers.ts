/**
 * The parent type behind each GraphQL type whose resolvers receive something other than the
 * generated type (codegen.ts reads every `…Mapper` here): Prisma rows, and references to entities
 * other subgraphs own.
 */
import type {
  ContentRequest,
  HelpfulLink,
  Library,
  OpenContentFavorite,
  OpenContentProvider,
  Video,
  Course,
  CourseEnrollment,
  Milestone,
  Outcome,
  ProviderPlatformChange,
  ProviderUserMapping,
  Task,
} from './generated/prisma/client.ts';
import type { CategoryDocument, ContentActivityDocument } from './access.ts';
import type { ItemUsage } from './data/content-activity.ts';
import type { PlatformRow } from './data/providers.ts';
import type { SearchHit } from './data/search.ts';
import type { KiwixScrapeResult } from './writes/kiwix.ts';

export type CourseMapper = Course;
/** A platform row without its encrypted access key (never read by the API). */
export type ProviderPlatformMapper = PlatformRow;
export type CourseEnrollmentMapper = CourseEnrollment;
/** identity owns the person: learning hangs its fields on the id. */
export type UserMapper = { id: string };
export type ProviderPlatformChangeMapper = ProviderPlatformChange;
/** A mutation's answer: the platform (null when the caller may no longer read it) and its id. */
export interface RegisterProviderPlatformPayloadMapper {
  providerPlatformId: string;
  providerPlatform: PlatformRow | null;
}
export type UpdateProviderPlatformPayloadMapper = RegisterProviderPlatformPayloadMapper;
export type ArchiveProviderPlatformPayloadMapper = RegisterProviderPlatformPayloadMapper;
export type SetProviderPlatformStatePayloadMapper = RegisterProviderPlatformPayloadMapper & { previousState: PlatformRow['state'] };
export type SyncTaskMapper = Task;
export type ProviderUserMappingMapper = ProviderUserMapping;
export interface SyncProviderPlatformPayloadMapper {
  taskId: string;
  task: Task | null;
}
export type CancelSyncTaskPayloadMapper = SyncProviderPlatformPayloadMapper;
export interface LinkProviderUserPayloadMapper {
  mappingId: string;
  mapping: ProviderUserMapping | null;
}
export type IgnoreProviderUserPayloadMapper = LinkProviderUserPayloadMapper;
export type MilestoneMapper = Milestone;
export type OutcomeMapper = Outcome;
export type OpenContentProviderMapper = OpenContentProvider;
export type LibraryMapper = Library;
export type VideoMapper = Video;
export type HelpfulLinkMapper = HelpfulLink;
export type OpenContentFavoriteMapper = OpenContentFavorite;
export type ContentRequestMapper = ContentRequest;
/** A hit of the combined search: the row and which union member it is. */
export type LearningSearchEdgeMapper = SearchHit & { cursor: string };
export type LearningSearchResultMapper = SearchHit['row'] & { __typename: 'Course' | 'Library' | 'Video' | 'HelpfulLink' };
export interface OpenContentProviderPayloadMapper {
  openContentProviderId: string;
  openContentProvider: OpenContentProvider | null;
}
export type SyncOpenContentProviderPayloadMapper = OpenContentProviderPayloadMapper & KiwixScrapeResult;
export interface HelpfulLinkPayloadMapper {
  helpfulLinkId: string;
  helpfulLink: HelpfulLink | null;
}
export interface VideoPayloadMapper {
  videoId: string;
  video: Video | null;
}
export interface FavoriteOpenContentPayloadMapper {
  favorite: OpenContentFavorite | null;
  created: boolean;
}
export interface ContentRequestPayloadMapper {
  contentRequestId: string;
  contentRequest: ContentRequest | null;
}
/** A session is its Mongo document (open_content_activity). */
export type OpenContentSessionMapper = ContentActivityDocument;
export interface OpenContentSessionPayloadMapper {
  sessionId: string;
  session: ContentActivityDocument | null;
}
/** An item's usage as the aggregation computed it (exact: the resolvers suppress what the caller may not see). */
export type OpenContentUsageMapper = ItemUsage;
export type OpenContentUsageMonthMapper = ItemUsage['byMonth'][number];
/** A category is its Mongo document (content_categories). */
export type CategoryMapper = CategoryDocument;
export interface CategoryPayloadMapper {
  categoryId: string;
  category: CategoryDocument | null;
}
/** An item placed in a category: which kind, the row as the caller may see it, and when it was placed. */
export interface CategoryItemEdgeMapper {
  kind: 'course' | 'library' | 'video' | 'helpful_link';
  node: LearningSearchResultMapper;
  placedAt: Date;
  cursor: string;
}
/** campus owns the facility: learning receives its id and, through `@requires`, its tenant. */
export interface FacilityMapper {
  id: string;
  tenantId?: string | null;
}
