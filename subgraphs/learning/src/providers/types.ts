/**
 * What learning needs of any provider platform, whatever its API: the sync and the connection test
 * speak to this interface, each platform type has a client behind it (canvas.ts, kolibri.ts,
 * brightspace.ts). Lists come a page at a time with an opaque `next` cursor, so a sync can
 * checkpoint after every page and resume there.
 */
export interface Page<T> {
  items: T[];
  /** Where the next page starts; null on the last page. */
  next: string | null;
}

export interface ProviderCourse {
  externalId: string;
  name: string;
  altName: string | null;
  description: string | null;
  externalUrl: string | null;
  thumbnailUrl: string | null;
  startDt: Date | null;
  endDt: Date | null;
}

export interface ProviderUser {
  externalId: string;
  username: string | null;
  email: string | null;
  name: string | null;
  /** An id the institution gave the person (Canvas: sis_user_id); matched against Pathway's person id. */
  sisId: string | null;
}

export type MilestoneType = 'enrollment' | 'quiz_submission' | 'assignment_submission' | 'grade_received' | 'discussion_post';

export interface ProviderEnrollment {
  externalId: string;
  userExternalId: string;
  enrolledAt: Date | null;
  /** Seconds spent in the course, as the provider counts them. */
  totalActivitySeconds: number;
  lastActivityAt: Date | null;
  /** Final grade or score, when the provider reports one. */
  grade: string | null;
  completed: boolean;
}

export interface ProviderMilestone {
  /** Unique per user within the course (e.g. the submission's id). */
  externalId: string;
  userExternalId: string;
  type: MilestoneType;
  completed: boolean;
  occurredAt: Date | null;
}

/** A course's people and progress, read whole (every page) so the course is written in one go. */
export interface CourseProgress {
  enrollments: ProviderEnrollment[];
  milestones: ProviderMilestone[];
  /** How many progress milestones make up the course (e.g. its published assignments). */
  totalMilestones: number;
}

export interface ConnectionReport {
  /** The account's name in the platform. */
  accountName: string;
}

export interface ProviderClient {
  testConnection(): Promise<ConnectionReport>;
  courses(cursor: string | null): Promise<Page<ProviderCourse>>;
  users(cursor: string | null): Promise<Page<ProviderUser>>;
  courseProgress(courseExternalId: string): Promise<CourseProgress>;
}
