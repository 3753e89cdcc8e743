import { and, can, isAuthenticated, isSelf, or, visibleRow, type RuleTree } from '@pathway/kit';
import {
  contentRequestAccess,
  courseAccess,
  courseEnrollmentAccess,
  helpfulLinkAccess,
  libraryAccess,
  milestoneAccess,
  outcomeAccess,
  providerPlatformAccess,
  videoAccess,
} from './access.ts';
import type { LearningContext } from './context.ts';

// Row rules: the parent row is one the caller may see under its access filter (access.ts).
const courseVisible = visibleRow(courseAccess, (ctx: LearningContext) => ctx.loaders.courseVisible);
const platformVisible = visibleRow(providerPlatformAccess, (ctx: LearningContext) => ctx.loaders.providerPlatformVisible);
const enrollmentVisible = visibleRow(courseEnrollmentAccess, (ctx: LearningContext) => ctx.loaders.courseEnrollmentVisible);

const milestoneVisible = visibleRow(milestoneAccess, (ctx: LearningContext) => ctx.loaders.milestoneVisible);
const outcomeVisible = visibleRow(outcomeAccess, (ctx: LearningContext) => ctx.loaders.outcomeVisible);

const courseReader = and(can('learning.course.read'), courseVisible);
const providerReader = and(can('learning.provider.read'), platformVisible);
/** Name, type and state of a platform are part of the catalog; its connection details are admin detail. */
const platformCatalogReader = and(or(can('learning.provider.read'), can('learning.course.read')), platformVisible);

const providerManager = and(can('learning.provider.manage'), platformVisible);

const libraryVisible = visibleRow(libraryAccess, (ctx: LearningContext) => ctx.loaders.libraryVisible);
const videoVisible = visibleRow(videoAccess, (ctx: LearningContext) => ctx.loaders.videoVisible);
const helpfulLinkVisible = visibleRow(helpfulLinkAccess, (ctx: LearningContext) => ctx.loaders.helpfulLinkVisible);
const contentRequestVisible = visibleRow(contentRequestAccess, (ctx: LearningContext) => ctx.loaders.contentRequestVisible);

const contentManager = can('learning.content.manage');
const contentReader = or(can('learning.content.read'), contentManager);
const contentRequester = or(can('learning.content.request'), contentManager);
/** An item's administration detail: where it is visible, why its metadata failed. */
const itemRules = (visible: typeof libraryVisible, ...adminFields: string[]) => ({
  '*': and(contentReader, visible),
  ...Object.fromEntries(['visibleFacilities', ...adminFields].map((field) => [field, and(contentManager, visible)])),
});

/** The category tree is part of the catalog (courses and open content alike). */
const catalogReader = or(can('learning.course.read'), contentReader);
/** Usage aggregates: counts only (small ones suppressed), for analysts and administrators. */
const usageReader = or(can('learning.aggregate.read'), contentManager);

const ownUser = isSelf<{ id: string }>('user', (user) => user.id);

export const permissions: RuleTree = {
  Query: {
    learningStats: can('learning.aggregate.read'),
    course: can('learning.course.read'),
    courses: can('learning.course.read'),
    providerPlatform: can('learning.provider.read'),
    providerPlatforms: can('learning.provider.read'),
    milestone: isAuthenticated,
    outcome: isAuthenticated,
    syncTask: can('learning.provider.manage'),
    syncTasks: can('learning.provider.manage'),
    providerUserMappings: can('learning.provider.manage'),
    openContentProviders: contentManager,
    library: contentReader,
    libraries: contentReader,
    video: contentReader,
    videos: contentReader,
    helpfulLink: contentReader,
    helpfulLinks: contentReader,
    contentRequest: contentRequester,
    contentRequests: contentRequester,
    learningSearch: or(can('learning.course.read'), contentReader),
    openContentUsage: usageReader,
    category: catalogReader,
    categories: catalogReader,
  },
  Mutation: {
    registerProviderPlatform: can('learning.provider.manage'),
    updateProviderPlatform: can('learning.provider.manage'),
    setProviderPlatformState: can('learning.provider.manage'),
    archiveProviderPlatform: can('learning.provider.manage'),
    testProviderPlatformConnection: can('learning.provider.manage'),
    syncProviderPlatform: can('learning.provider.manage'),
    cancelSyncTask: can('learning.provider.manage'),
    linkProviderUser: can('learning.provider.manage'),
    ignoreProviderUser: can('learning.provider.manage'),
    createOpenContentProvider: contentManager,
    updateOpenContentProvider: contentManager,
    syncOpenContentProvider: contentManager,
    addHelpfulLink: contentManager,
    updateHelpfulLink: contentManager,
    removeHelpfulLink: contentManager,
    addVideo: contentManager,
    retryVideo: contentManager,
    setOpenContentVisibility: contentManager,
    favoriteOpenContent: contentReader,
    unfavoriteOpenContent: contentReader,
    requestContent: can('learning.content.request'),
    createCategory: contentManager,
    updateCategory: contentManager,
    moveCategory: contentManager,
    archiveCategory: contentManager,
    assignToCategory: contentManager,
    unassignFromCategory: contentManager,
    openContentSession: contentReader,
    recordOpenContentActivity: contentReader,
    resolveContentRequest: contentManager,
  },
  // Open content: rows come from loaders and lists that AND their access filter in; the row rules say it again.
  Library: { ...itemRules(libraryVisible), usage: and(contentManager, libraryVisible) },
  Video: itemRules(videoVisible, 'attempts', 'lastError'),
  HelpfulLink: itemRules(helpfulLinkVisible),
  // A provider is reached as an item's parent (or by administrators' list); its API address is admin detail.
  OpenContentProvider: { '*': contentReader, apiUrl: contentManager },
  OpenContentProviderConnection: contentManager,
  OpenContentProviderEdge: contentManager,
  OpenContentFavorite: contentReader,
  OpenContentFavoriteConnection: contentReader,
  OpenContentFavoriteEdge: contentReader,
  ContentRequest: contentRequestVisible,
  ContentRequestConnection: isAuthenticated,
  ContentRequestEdge: isAuthenticated,
  LibraryConnection: isAuthenticated,
  LibraryEdge: isAuthenticated,
  VideoConnection: isAuthenticated,
  VideoEdge: isAuthenticated,
  HelpfulLinkConnection: isAuthenticated,
  HelpfulLinkEdge: isAuthenticated,
  LearningSearchConnection: isAuthenticated,
  LearningSearchEdge: isAuthenticated,
  OpenContentProviderPayload: contentManager,
  SyncOpenContentProviderPayload: contentManager,
  HelpfulLinkPayload: contentManager,
  RemoveHelpfulLinkPayload: contentManager,
  VideoPayload: contentManager,
  SetOpenContentVisibilityPayload: contentManager,
  FavoriteOpenContentPayload: contentReader,
  UnfavoriteOpenContentPayload: contentReader,
  ContentRequestPayload: contentRequester,
  ContentRequestChangedEvent: isAuthenticated,
  // Categories come from loaders and lists that AND categoryAccess in (tenant; archived ones for administrators).
  Category: catalogReader,
  CategoryConnection: isAuthenticated,
  CategoryEdge: isAuthenticated,
  CategoryItemConnection: isAuthenticated,
  CategoryItemEdge: isAuthenticated,
  CategoryPayload: contentManager,
  CategoryAssignmentPayload: contentManager,
  // Sessions come only from the caller's own writes and lists that AND contentActivityAccess in.
  OpenContentSession: isAuthenticated,
  OpenContentSessionPayload: contentReader,
  OpenContentSessionConnection: isAuthenticated,
  OpenContentSessionEdge: isAuthenticated,
  OpenContentActivitySummary: isAuthenticated,
  OpenContentKindActivity: isAuthenticated,
  OpenContentUsage: usageReader,
  OpenContentUsageMonth: usageReader,
  OpenContentUsageConnection: usageReader,
  OpenContentUsageEdge: usageReader,
  SyncProviderPlatformPayload: can('learning.provider.manage'),
  CancelSyncTaskPayload: can('learning.provider.manage'),
  LinkProviderUserPayload: can('learning.provider.manage'),
  IgnoreProviderUserPayload: can('learning.provider.manage'),
  // Rows come only from loaders and lists that AND syncTaskAccess / providerUserMappingAccess in.
  SyncTask: can('learning.provider.manage'),
  SyncTaskConnection: can('learning.provider.manage'),
  SyncTaskEdge: can('learning.provider.manage'),
  ProviderUserMapping: can('learning.provider.manage'),
  ProviderUserMappingConnection: can('learning.provider.manage'),
  ProviderUserMappingEdge: can('learning.provider.manage'),
  TestProviderPlatformConnectionPayload: can('learning.provider.manage'),
  // A mutation's receipt: whoever may call it may read it (the platform inside has its own rules).
  RegisterProviderPlatformPayload: can('learning.provider.manage'),
  UpdateProviderPlatformPayload: can('learning.provider.manage'),
  SetProviderPlatformStatePayload: can('learning.provider.manage'),
  ArchiveProviderPlatformPayload: can('learning.provider.manage'),
  ProviderPlatform: {
    '*': platformCatalogReader,
    accountId: providerReader,
    baseUrl: providerReader,
    authType: providerReader,
    oauthClientId: providerReader,
    hasCredentials: providerReader,
    credentialsSetAt: providerReader,
    availableFacilities: providerReader,
    syncSchedule: providerReader,
    syncTimezone: providerReader,
    nextScheduledSyncAt: providerReader,
    changeLog: providerManager,
  },
  // Lines are reached only through a platform's changeLog (its rule decided).
  ProviderPlatformChange: can('learning.provider.manage'),
  ProviderPlatformChangeConnection: can('learning.provider.manage'),
  ProviderPlatformChangeEdge: can('learning.provider.manage'),
  Course: courseReader,
  // One's own enrollments, or others' within reach with `learning.enrollment.read`: courseEnrollmentAccess says which.
  CourseEnrollment: enrollmentVisible,
  // Rows come from loaders that AND their access filter in; the row rules say it again.
  Milestone: milestoneVisible,
  Outcome: outcomeVisible,
  CourseProgress: isAuthenticated,
  MilestoneConnection: isAuthenticated,
  MilestoneEdge: isAuthenticated,
  OutcomeConnection: isAuthenticated,
  OutcomeEdge: isAuthenticated,
  LearningProgress: isAuthenticated,
  Subscription: isAuthenticated,
  LearningSyncFinishedEvent: isAuthenticated,
  MilestoneCompletedEvent: isAuthenticated,
  OutcomeAwardedEvent: isAuthenticated,
  User: {
    id: isAuthenticated,
    // Rows are filtered again per caller when loaded: others' enrollments only within reach.
    courseEnrollments: or(ownUser, can('learning.enrollment.read')),
    outcomes: or(ownUser, can('learning.enrollment.read')),
    learningProgress: or(ownUser, can('learning.enrollment.read')),
    favorites: ownUser,
    openContentActivity: or(ownUser, can('learning.enrollment.read')),
    openContentSessions: or(ownUser, can('learning.enrollment.read')),
  },
  LearningStats: can('learning.aggregate.read'),
  CourseTypeCount: can('learning.aggregate.read'),
  CourseTypeEnrollmentCount: can('learning.aggregate.read'),
  ProviderPlatformCount: can('learning.aggregate.read'),
  LearningPeriodCount: can('learning.aggregate.read'),
  CourseConnection: isAuthenticated,
  CourseEdge: isAuthenticated,
  ProviderPlatformConnection: isAuthenticated,
  ProviderPlatformEdge: isAuthenticated,
  CourseEnrollmentConnection: isAuthenticated,
  CourseEnrollmentEdge: isAuthenticated,
  PageInfo: isAuthenticated,
  Facility: {
    '*': isAuthenticated,
    // Rows are listed through the access filters; each row's own rules apply again.
    libraries: contentReader,
    providerPlatforms: or(can('learning.provider.read'), can('learning.course.read')),
  },
  Tenant: isAuthenticated,
};
