import { withScope, type TransactionalPublisher } from '@pathway/kit';
import type { BehaviorInsight, Prisma } from '../generated/prisma/client.ts';
import type { BehaviorDeps } from '../context.ts';
import { insightsOf, isNews } from '../insights.ts';
import { queueCommunications } from '../writes/communications.ts';
import { studentPatterns } from './patterns.ts';

/** Stored insights of these students (the shield has decided the caller may see the student's patterns). */
export const insightsOfStudents = (tx: Prisma.TransactionClient, studentIds: string[]) =>
  tx.behaviorInsight.findMany({ where: { studentId: { in: studentIds } }, orderBy: [{ insightType: 'asc' }] });

const publishInsightChanged = (events: TransactionalPublisher, insight: BehaviorInsight, facilityId: string | null) =>
  events.publish({
    type: 'behavior.insight.changed',
    tenantId: insight.tenantId,
    facilityId,
    entityId: insight.id,
    payload: { insightType: insight.insightType },
  });

/**
 * The insights.recompute job: the student's patterns over the last 12 weeks (in the facility's time
 * zone, UTC for a student placed nowhere), stored one row per
 * insight type; a headline that changed publishes behavior.insight.changed in the same transaction,
 * and a request trend turning worsening queues the pattern_worsening rules' messages to guardians
 * (sent by their jobs once this commits). Runs as the service: it decides nothing about callers,
 * and the write that asked for it has committed.
 */
export async function recomputeInsights(deps: Pick<BehaviorDeps, 'prisma' | 'events' | 'jobs'>, studentId: string, now = new Date()) {
  const messages = await withScope(deps.prisma, 'service', async (tx) => {
    // Runs for one student one after another (each reads what was committed before it was added).
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`behavior.insights:${studentId}`}))`;
    const student = await tx.student.findUnique({
      where: { id: studentId },
      select: { id: true, tenantId: true, facilityId: true, facilityTimezone: true },
    });
    if (!student) return [];
    const computed = insightsOf(await studentPatterns(tx, student.id, { asOf: now, timezone: student.facilityTimezone }));
    const stored = new Map((await insightsOfStudents(tx, [student.id])).map((i) => [i.insightType, i]));
    const events = deps.events.within(tx);
    const messages: string[] = [];
    for (const insight of computed) {
      const before = stored.get(insight.insightType) ?? null;
      const changed = !before || before.headline !== insight.headline;
      const fields = {
        summary: insight.summary,
        data: insight.data as Prisma.InputJsonValue,
        confidence: insight.confidence,
        computedAt: now,
        headline: insight.headline,
        ...(changed ? { changedAt: now, previousHeadline: before?.headline ?? null } : {}),
      };
      const row = before
        ? await tx.behaviorInsight.update({ where: { id: before.id }, data: fields })
        : await tx.behaviorInsight.create({
            data: { ...fields, tenantId: student.tenantId, studentId: student.id, insightType: insight.insightType, changedAt: now },
          });
      if (changed && isNews(insight.headline, before?.headline ?? null)) await publishInsightChanged(events, row, student.facilityId);
      if (changed && insight.insightType === 'request_trend' && insight.headline === 'worsening') {
        const latest = await tx.behaviorRequest.findFirst({
          where: { studentId: student.id },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        });
        if (latest) messages.push(...(await queueCommunications(tx, 'pattern_worsening', latest)));
      }
    }
    return messages;
  });
  await deps.jobs.addBulk(
    'communication.send',
    messages.map((logId) => ({ logId })),
  );
}

/** Students whose patterns may have moved since yesterday: a request or reflection in the last 12 weeks. */
export async function studentsWithRecentHistory(deps: Pick<BehaviorDeps, 'prisma'>, now = new Date()) {
  const since = new Date(now.getTime() - 12 * 7 * 86_400_000);
  const rows = await withScope(deps.prisma, 'service', (tx) =>
    tx.student.findMany({
      where: { archivedAt: null, OR: [{ requests: { some: { createdAt: { gte: since } } } }, { insights: { some: {} } }] },
      select: { id: true },
    }),
  );
  return rows.map((r) => r.id);
}
