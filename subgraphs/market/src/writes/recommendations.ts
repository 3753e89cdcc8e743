import { type Identity, notFound, parseInput, type References, uuidArg } from '@pathway/kit';
import { z } from 'zod';
import type { RecommendationFeedbackInput } from '../generated/graphql.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { MongoDb } from '../data/assets.ts';
import { recommendationsFor, saveFeedback, type RecommendationRow } from '../data/recommendations.ts';
import { logActivity } from './activity.ts';

type Tx = Prisma.TransactionClient;
export interface RecommendationDeps {
  run<R>(fn: (tx: Tx) => Promise<R>): Promise<R>;
  read<R>(fn: (tx: Tx) => Promise<R>): Promise<R>;
  mongo: MongoDb;
  references: References;
}

const feedbackFields = z.object({
  rating: z.number().int('must be a whole number').min(1, 'must be 1 to 5').max(5, 'must be 1 to 5'),
  comment: z.string().trim().max(2000, 'at most 2,000 characters').nullish(),
  implemented: z.boolean().nullish(),
});

/**
 * The caller's feedback on a recommendation made to them: the id must be one of theirs (an item
 * of their tenant they may be recommended now, whatever its score), else NOT_FOUND. Answers the
 * recommendation as it ranks after the feedback.
 */
export async function rateRecommendation(
  deps: RecommendationDeps,
  identity: Identity,
  id: string,
  input: RecommendationFeedbackInput,
): Promise<RecommendationRow> {
  const recommendationId = uuidArg(id, 'id')!;
  const fields = parseInput(feedbackFields, input, 'The feedback');
  const before = await recommendationsFor(deps.read, deps.mongo, deps.references, identity);
  const candidate = before.all.get(recommendationId);
  if (!candidate) throw notFound('The recommendation');
  const now = new Date();
  await saveFeedback(deps.mongo, {
    _id: recommendationId,
    tenantId: identity.tenantId,
    userId: identity.userId,
    recommendationType: candidate.type,
    content: {
      title: candidate.title,
      description: candidate.description,
      reasoning: candidate.reasons.join('; '),
      confidenceScore: candidate.score,
    },
    relatedEntities: [{ entityType: candidate.entityType, entityId: candidate.entityId }],
    group: candidate.group,
    userFeedback: { rating: fields.rating, comments: fields.comment ?? null, implemented: fields.implemented ?? false, givenAt: now },
    isActive: true,
    updatedAt: now,
  });
  await deps.run((tx) =>
    logActivity(tx, [
      {
        actor: identity,
        entity: { id: recommendationId, tenantId: identity.tenantId },
        entityType: 'recommendation',
        activityType: 'recommendation.feedback',
        after: {
          rating: fields.rating,
          implemented: fields.implemented ?? false,
          entityType: candidate.entityType,
          entityId: candidate.entityId,
        },
      },
    ]),
  );
  // As it ranks now, with the feedback (also when the rating took it out of the ranking).
  const after = await recommendationsFor(deps.read, deps.mongo, deps.references, identity);
  return after.all.get(recommendationId) ?? candidate;
}
