import { randomUUID } from 'node:crypto';
import { ConflictReason, conflict, notFound, parseInput, rethrowDuplicate, tenantFilter, type Identity } from '@pathway/kit';
import { z } from 'zod';
import { communicationInboxAccess, communicationLogAccess, communicationLogManageAccess, communicationRuleAccess } from '../access.ts';
import type { CommunicationRuleInput, UpdateCommunicationRuleInput } from '../generated/graphql.ts';
import type { BehaviorRequest, CommunicationLog, CommunicationRule, Prisma } from '../generated/prisma/client.ts';
import { render, type TemplateVariable } from '../templates.ts';
import { findManaged, requiredText, sent } from './records.ts';

type Tx = Prisma.TransactionClient;

export const TRIGGERS = ['request_opened', 'reflection_completed', 'request_resolved', 'pattern_worsening'] as const;
export type CommunicationTrigger = (typeof TRIGGERS)[number];

const ruleFields = z.object({
  name: requiredText(100),
  trigger: z.enum(TRIGGERS, `must be one of ${TRIGGERS.join(', ')}`),
  templateId: z.uuid('must be a UUID'),
  enabled: z
    .boolean()
    .nullish()
    .transform((v) => v ?? true),
});

const duplicate = rethrowDuplicate('Another rule of the tenant has this name.', { name: 'is taken' });

/** The rule's template must be one of the caller's tenant: another tenant's (or none) is NOT_FOUND, nothing written. */
async function checkTemplate(tx: Tx, identity: Identity, templateId: string) {
  const template = await tx.communicationTemplate.findFirst({ where: { AND: [{ id: templateId }, tenantFilter(identity)] } });
  if (!template) throw notFound('The template');
}

export async function createRule(tx: Tx, identity: Identity, input: CommunicationRuleInput): Promise<CommunicationRule> {
  const fields = parseInput(ruleFields, input, 'The rule');
  await checkTemplate(tx, identity, fields.templateId);
  return tx.communicationRule.create({ data: { ...fields, tenantId: identity.tenantId, createdById: identity.userId } }).catch(duplicate);
}

export async function updateRule(tx: Tx, identity: Identity, id: string, patch: UpdateCommunicationRuleInput): Promise<CommunicationRule> {
  const current = await tx.communicationRule.findFirst({ where: { AND: [{ id }, communicationRuleAccess.where(identity)] } });
  if (!current) throw notFound('The rule');
  const fields = parseInput(ruleFields, { ...current, ...sent(patch) }, 'The rule');
  if (fields.templateId !== current.templateId) await checkTemplate(tx, identity, fields.templateId);
  return tx.communicationRule.update({ where: { id: current.id }, data: fields }).catch(duplicate);
}

/** Which address a channel needs of a guardian (null: the guardian cannot be reached on it). */
const addressOf = (channel: string, g: { email: string | null; phone: string | null; userId: string | null }) =>
  channel === 'email' ? g.email : channel === 'sms' ? g.phone : channel === 'app' ? (g.userId ? null : undefined) : undefined;

/**
 * Called inside the write that fired `trigger` (request opened, reflection completed, request
 * resolved; for pattern_worsening, the insights job, with the student's latest request): for every enabled rule of the tenant on that trigger, one queued message per guardian
 * of the student who opted in for the rule's channel (notificationPreferences[channel] === true)
 * and can be reached on it. Rendered here from the student, guardian and request, so the message
 * says what was true when it happened; no template variable reaches a reflection. The caller adds
 * one `communication.send` job per id after commit (and the subgraph's start requeues any left queued).
 */
export async function queueCommunications(tx: Tx, trigger: CommunicationTrigger, request: BehaviorRequest): Promise<string[]> {
  const rules = await tx.communicationRule.findMany({
    where: { tenantId: request.tenantId, trigger, enabled: true },
    include: { template: true },
    orderBy: { name: 'asc' },
  });
  if (!rules.length) return [];
  const student = await tx.student.findUnique({ where: { id: request.studentId } });
  if (!student?.familyId || student.archivedAt) return [];
  const guardians = await tx.guardian.findMany({ where: { familyId: student.familyId, archivedAt: null }, orderBy: { createdAt: 'asc' } });
  const rows: Prisma.CommunicationLogCreateManyInput[] = [];
  for (const rule of rules)
    for (const guardian of guardians) {
      const channel = rule.template.channel;
      const preferences = (guardian.notificationPreferences ?? {}) as Record<string, unknown>;
      const recipient = addressOf(channel, guardian);
      if (preferences[channel] !== true || recipient === undefined || (channel !== 'app' && !recipient)) continue;
      const values: Record<TemplateVariable, string> = {
        'student.firstName': student.firstName,
        'student.lastName': student.lastName,
        'student.gradeLevel': student.gradeLevel,
        'guardian.firstName': guardian.firstName,
        'guardian.lastName': guardian.lastName,
        'request.behaviorType': request.behaviorType,
        'request.status': request.status,
      };
      rows.push({
        id: randomUUID(),
        tenantId: request.tenantId,
        ruleId: rule.id,
        studentId: student.id,
        guardianId: guardian.id,
        requestId: request.id,
        trigger,
        channel,
        recipient,
        subject: rule.template.subject ? render(rule.template.subject, values) : null,
        body: render(rule.template.body, values),
      });
    }
  if (rows.length) await tx.communicationLog.createMany({ data: rows });
  return rows.map((r) => r.id!);
}

/** retryCommunication: a failed message of the caller's reach goes back to queued for a new round of attempts. */
export async function retryCommunication(tx: Tx, identity: Identity, id: string): Promise<CommunicationLog> {
  await tx.$queryRaw`SELECT id FROM communication_logs WHERE id = ${id}::uuid FOR UPDATE`;
  const log = await findManaged(
    'The message',
    identity,
    communicationLogManageAccess,
    communicationLogAccess,
    (where) => tx.communicationLog.findFirst({ where }),
    id,
  );
  if (log.status !== 'failed')
    throw conflict(`Only a failed message can be sent again; this one is ${log.status}.`, {
      reason: ConflictReason.INVALID_TRANSITION,
      from: log.status,
      to: 'queued',
      allowed: [],
    });
  return tx.communicationLog.update({ where: { id: log.id }, data: { status: 'queued', failedAt: null } });
}

/**
 * acknowledgeCommunication: the guardian an in-app message went to has read it, so sent becomes
 * delivered. Only the recipient (their inbox); an acknowledged message answers as it is. Email and
 * SMS have no such signal here (their provider's delivery notice is not wired), so they stay sent.
 */
export async function acknowledgeCommunication(tx: Tx, identity: Identity, id: string) {
  await tx.$queryRaw`SELECT id FROM communication_logs WHERE id = ${id}::uuid FOR UPDATE`;
  const log = await findManaged(
    'The message',
    identity,
    communicationInboxAccess,
    communicationLogAccess,
    (where) =>
      tx.communicationLog.findFirst({
        where,
        include: { student: { select: { facilityId: true } }, guardian: { select: { userId: true } } },
      }),
    id,
  );
  if (log.status === 'delivered') return { log, changed: false };
  if (log.channel !== 'app' || log.status !== 'sent')
    throw conflict(
      log.channel !== 'app'
        ? `Only in-app messages are acknowledged; this one went by ${log.channel}.`
        : `Only a sent message can be acknowledged; this one is ${log.status}.`,
      { reason: ConflictReason.INVALID_TRANSITION, from: log.status, to: 'delivered', allowed: [] },
    );
  const updated = await tx.communicationLog.update({ where: { id: log.id }, data: { status: 'delivered', deliveredAt: new Date() } });
  return { log: { ...log, ...updated }, changed: true };
}
