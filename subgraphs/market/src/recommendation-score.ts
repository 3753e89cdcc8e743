import { createHash } from 'node:crypto';

/**
 * Recommendations, ranked by the service itself (no external AI): a pure, deterministic function
 * of what a person states (skills, interests, goals), what their facility offers (programs), the
 * candidates (business models, listings, city resources, programs) and the person's own feedback.
 * Every point of a score comes with the reason that earned it, so each answer says why.
 */

export type RecommendationType = 'business_idea' | 'property' | 'resource' | 'program';

export interface PersonSignals {
  skills: string[];
  interests: string[];
  goals: string[];
  /** The programs the person's facility offers: they make ideas they prepare for more fitting. */
  programs: { name: string; words: string }[];
}

export interface Candidate {
  type: RecommendationType;
  /** The item's own id (model, listing, resource, program). */
  entityId: string;
  /** business_model, property, city_resource or program. */
  entityType: string;
  title: string;
  description: string | null;
  /** What the item is about, as free text (name, category, description, activities, tags…). */
  words: string;
  /** Items of one group are alike (a model's category, a listing's type, a resource's type): feedback on one moves the others. */
  group: string;
  /** A fact that counts in its favour on its own (a verified listing), with its reason. */
  bonus?: { points: number; reason: string };
}

export interface Feedback {
  entityType: string;
  entityId: string;
  group: string;
  rating: number;
  implemented: boolean;
}

export interface Ranked extends Candidate {
  score: number;
  reasons: string[];
}

export const WEIGHTS = {
  skill: 3,
  goal: 2,
  interest: 2,
  program: 1.5,
  /** Per star above or below 3 of the person's own rating of this item. */
  ownRating: 1.5,
  /** Per star above or below 3 of the average rating of the person's other items of the group. */
  groupRating: 0.75,
  /** Already done: it moves down, it is no news. */
  implemented: -4,
} as const;

const STOP = new Set(['a', 'an', 'and', 'the', 'of', 'for', 'to', 'in', 'on', 'with', 'my', 'your', 'get', 'be', 'at', 'or', 'by']);

/** The distinct words of a text, lowercased, without stop words or words under 3 letters. */
export function wordsOf(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .normalize('NFKD')
      .split(/[^a-z0-9]+/)
      .filter((w) => w.length >= 3 && !STOP.has(w))
      .map(stem),
  );
}

/** A crude plural/gerund fold, so "cleaning" meets "clean" and "cooks" meets "cook". */
const stem = (w: string) => w.replace(/(ing|ers|er|es|s)$/, '') || w;

const overlaps = (a: Set<string>, b: Set<string>) => [...a].some((w) => b.has(w));

/** The id a recommendation keeps across rankings: one per person and item. */
export function recommendationId(tenantId: string, userId: string, entityType: string, entityId: string): string {
  const h = createHash('sha256').update(`${tenantId}:${userId}:${entityType}:${entityId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const stars = (n: number) => `${n}/5`;
const round = (n: number) => Math.round(n * 100) / 100;

/** Scores one candidate: each matching signal adds its weight and a reason. */
export function scoreCandidate(person: PersonSignals, candidate: Candidate, feedback: readonly Feedback[]): Ranked {
  const words = wordsOf(`${candidate.title} ${candidate.words}`);
  let score = 0;
  const reasons: string[] = [];
  const signals = [
    ['skill', person.skills, WEIGHTS.skill],
    ['goal', person.goals, WEIGHTS.goal],
    ['interest', person.interests, WEIGHTS.interest],
  ] as const;
  for (const [kind, texts, weight] of signals)
    for (const text of texts)
      if (overlaps(wordsOf(text), words)) {
        score += weight;
        reasons.push(`Matches your ${kind} "${text}"`);
      }
  for (const program of person.programs)
    if (candidate.type !== 'program' && overlaps(wordsOf(`${program.name} ${program.words}`), words)) {
      score += WEIGHTS.program;
      reasons.push(`Your facility's program "${program.name}" prepares for it`);
    }
  if (candidate.bonus) {
    score += candidate.bonus.points;
    reasons.push(candidate.bonus.reason);
  }
  const own = feedback.find((f) => f.entityType === candidate.entityType && f.entityId === candidate.entityId);
  if (own) {
    score += (own.rating - 3) * WEIGHTS.ownRating;
    reasons.push(`You rated it ${stars(own.rating)}`);
    if (own.implemented) {
      score += WEIGHTS.implemented;
      reasons.push('You have put it into practice already');
    }
  }
  const alike = feedback.filter(
    (f) => f.group === candidate.group && !(f.entityType === candidate.entityType && f.entityId === candidate.entityId),
  );
  if (alike.length) {
    const average = alike.reduce((sum, f) => sum + f.rating, 0) / alike.length;
    if (average !== 3) {
      score += (average - 3) * WEIGHTS.groupRating;
      reasons.push(`You rated similar ${candidate.group.replace(/_/g, ' ')} items ${stars(round(average))} on average`);
    }
  }
  return { ...candidate, score: round(score), reasons };
}

/**
 * The candidates worth showing (a score above 0: at least one signal for them), best first; ties by
 * type then id, so the same inputs always give the same order.
 */
export function rank(person: PersonSignals, candidates: readonly Candidate[], feedback: readonly Feedback[]): Ranked[] {
  return scoreAll(person, candidates, feedback).filter((r) => r.score > 0);
}

/** Every candidate scored, best first (the same order as `rank`, with those at 0 or below at the end). */
export function scoreAll(person: PersonSignals, candidates: readonly Candidate[], feedback: readonly Feedback[]): Ranked[] {
  return candidates
    .map((c) => scoreCandidate(person, c, feedback))
    .sort((a, b) => b.score - a.score || a.type.localeCompare(b.type) || a.entityId.localeCompare(b.entityId));
}
