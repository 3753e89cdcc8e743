import type { MarketContext } from '../context.ts';
import type { BusinessProjectResolvers, ProjectFinancialsResolvers, ProjectMilestoneResolvers } from '../generated/graphql.ts';
import { projectTotals } from '../writes/project-money.ts';

export const BusinessProject: BusinessProjectResolvers = {
  __resolveReference: (ref, ctx: MarketContext) => ctx.loaders.project.load(ref.id),
  owner: (project) => ({ id: project.ownerId }),
  // Through the model's own access: another tenant's (or a since-removed) model reads as null.
  basedOnModel: (project, _, ctx) => (project.basedOnModelId ? ctx.loaders.businessModel.load(project.basedOnModelId) : null),
  tags: (project, _, ctx) => ctx.loaders.tagsOf.project.load(project.id),
};

export const ProjectMilestone: ProjectMilestoneResolvers = {
  overdue: (m) => m.status !== 'completed' && m.dueDate != null && m.dueDate.getTime() < Date.now(),
};

/** The totals and profit/loss are the service's arithmetic on the stored lines (exact decimals). */
export const ProjectFinancials: ProjectFinancialsResolvers = {
  totalRevenue: (f) => projectTotals(f).totalRevenue,
  totalCost: (f) => projectTotals(f).totalCost,
  profitLoss: (f) => projectTotals(f).profitLoss,
  netAfterInvestment: (f) => projectTotals(f).netAfterInvestment,
};
