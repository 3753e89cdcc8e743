import { badInput, notFound, parseInput, rethrowDuplicate, tenantFilter, type Identity } from '@pathway/kit';
import { z } from 'zod';
import type { CommunicationTemplateInput, UpdateCommunicationTemplateInput } from '../generated/graphql.ts';
import type { CommunicationTemplate, Prisma } from '../generated/prisma/client.ts';
import { variablesOf } from '../templates.ts';
import { optionalText, requiredText, sent } from './records.ts';

type Tx = Prisma.TransactionClient;

const templateFields = z.object({
  name: requiredText(100),
  templateType: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{1,59}$/, 'must be 2–60 lower-case letters, digits or _ (e.g. request_opened)'),
  channel: z.enum(['email', 'sms', 'app'], 'must be email, sms or app'),
  subject: optionalText(200),
  body: requiredText(5000),
});

/** Parses the fields and checks every {{variable}} of the subject and body (BAD_USER_INPUT naming the field). */
function checked(value: unknown) {
  const fields = parseInput(templateFields, value, 'The template');
  const problems: Record<string, string> = {};
  const variables = new Set<string>();
  for (const field of ['subject', 'body'] as const) {
    const result = variablesOf(fields[field] ?? '');
    if ('problem' in result) problems[field] = result.problem;
    else result.variables.forEach((v) => variables.add(v));
  }
  if (fields.channel === 'email' && !fields.subject) problems.subject = 'is required for email';
  if (Object.keys(problems).length) throw badInput('The template is not valid.', problems);
  return { ...fields, variables: [...variables] };
}

const duplicate = rethrowDuplicate('Another template of the tenant has this name.', { name: 'is taken' });

export async function createTemplate(tx: Tx, identity: Identity, input: CommunicationTemplateInput): Promise<CommunicationTemplate> {
  const fields = checked(input);
  return tx.communicationTemplate
    .create({ data: { ...fields, tenantId: identity.tenantId, createdById: identity.userId } })
    .catch(duplicate);
}

export async function updateTemplate(tx: Tx, identity: Identity, id: string, patch: UpdateCommunicationTemplateInput) {
  const current = await tx.communicationTemplate.findFirst({ where: { AND: [{ id }, tenantFilter(identity)] } });
  if (!current) throw notFound('The template');
  const fields = checked({ ...current, ...sent(patch) });
  return tx.communicationTemplate.update({ where: { id: current.id }, data: fields }).catch(duplicate);
}
