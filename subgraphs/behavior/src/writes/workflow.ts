import { conflict } from '@pathway/kit';

/**
 * The behavior request workflow, from seed 002's pipeline (behavior request creation → student
 * reflection completion → review → …):
 *
 *   open ──→ reflection_assigned ──(submitReflection)──→ reflection_completed ──(reviewReflection)──→ reviewed ──→ resolved
 *     │              │                                           │                                                  ↑
 *     └──────────────┴──────────── → resolved (no reflection needed) / cancelled ───────────────────────────────────┘
 *
 * resolved and cancelled are final. reflection_completed and reviewed are reached only through the
 * reflection mutations (the student's submission, the teacher's review), never by setting the status.
 */
export const REQUEST_STATUSES = ['open', 'reflection_assigned', 'reflection_completed', 'reviewed', 'resolved', 'cancelled'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const REQUEST_TRANSITIONS: Record<RequestStatus, RequestStatus[]> = {
  open: ['reflection_assigned', 'resolved', 'cancelled'],
  reflection_assigned: ['reflection_completed', 'resolved', 'cancelled'],
  reflection_completed: ['reviewed', 'cancelled'],
  reviewed: ['resolved'],
  resolved: [],
  cancelled: [],
};

/** Statuses only the reflection mutations set. */
const BY_REFLECTION: RequestStatus[] = ['reflection_completed', 'reviewed'];

export const isFinal = (status: RequestStatus) => REQUEST_TRANSITIONS[status].length === 0;

/**
 * Throws CONFLICT unless `from` may become `to`: ALREADY_IN_STATE for the same status,
 * INVALID_TRANSITION (with from, to and the statuses allowed from here) otherwise. `byReflection`
 * is set by the reflection mutations, the only ones that may enter reflection_completed / reviewed.
 */
export function checkTransition(from: RequestStatus, to: RequestStatus, byReflection = false): void {
  if (from === to) throw conflict(`The request is already ${from}.`, { reason: 'ALREADY_IN_STATE' });
  const allowed = REQUEST_TRANSITIONS[from].filter((s) => byReflection || !BY_REFLECTION.includes(s));
  if (!allowed.includes(to)) throw conflict(`A ${from} request cannot become ${to}.`, { reason: 'INVALID_TRANSITION', from, to, allowed });
}
