import { Prisma } from '../generated/prisma/client.ts';
import type { FinancialsDoc, MilestoneDoc } from '../data/projects.ts';

// What the service computes from a project's stored lines: exact decimals throughout (never a JS number).

export interface ProjectTotals {
  totalRevenue: Prisma.Decimal;
  totalCost: Prisma.Decimal;
  /** totalRevenue − totalCost. */
  profitLoss: Prisma.Decimal;
  /** profitLoss − initialInvestment. */
  netAfterInvestment: Prisma.Decimal;
}

const sum = (lines: { amount: string }[]) => lines.reduce((total, line) => total.plus(line.amount), new Prisma.Decimal(0));

export function projectTotals(financials: FinancialsDoc): ProjectTotals {
  const totalRevenue = sum(financials.revenue);
  const totalCost = sum(financials.costs);
  const profitLoss = totalRevenue.minus(totalCost);
  return { totalRevenue, totalCost, profitLoss, netAfterInvestment: profitLoss.minus(financials.initialInvestment) };
}

/** Completed milestones / all × 100, to 2 decimals; 0 without milestones. */
export function completionPercentage(milestones: Pick<MilestoneDoc, 'status'>[]): number {
  if (milestones.length === 0) return 0;
  const done = milestones.filter((m) => m.status === 'completed').length;
  return Math.round((done / milestones.length) * 10_000) / 100;
}
