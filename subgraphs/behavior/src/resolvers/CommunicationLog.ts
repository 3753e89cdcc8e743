import type { BehaviorContext } from '../context.ts';
import type { CommunicationLogResolvers, CommunicationStatus, CommunicationTrigger } from '../generated/graphql.ts';

export const CommunicationLog: CommunicationLogResolvers = {
  student: (l, _, ctx) => ctx.loaders.student.load(l.studentId),
  guardian: (l, _, ctx) => ctx.loaders.guardian.load(l.guardianId),
  request: (l, _, ctx) => (l.requestId ? ctx.loaders.request.load(l.requestId) : null),
  rule: (l, _, ctx: BehaviorContext) => (l.ruleId ? ctx.loaders.communicationRule.load(l.ruleId) : null),
  trigger: (l) => l.trigger as CommunicationTrigger,
  status: (l) => l.status as CommunicationStatus,
};
