// The kanban board's rules on the client side: what a drop may do before asking the server,
// which stays the judge (it answers 422 DEAL_STAGE_INVALID with the reason).
import { fromUnits, toUnits } from '../../app/decimal';
import type { BoardColumn, Currency, DealSummary, Stage } from './api';

export type MovePlan =
  /** Nothing to do: dropped on its own column. */
  | { kind: 'none' }
  /** A closed deal cannot move, nor can a deal go to a stage the pipeline does not have. */
  | { kind: 'refused'; reason: 'DEAL_CLOSED' | 'UNKNOWN_STAGE' }
  /** Moving to a lost stage: ask for the reason first. */
  | { kind: 'askReason'; stage: Stage }
  | { kind: 'move'; stage: Stage };

/** What dropping `deal` on the column of `target` should do. */
export function planMove(deal: Pick<DealSummary, 'stage'>, target: string, stages: Stage[]): MovePlan {
  if (deal.stage === target) return { kind: 'none' };
  const to = stages.find((stage) => stage.code === target);
  if (!to) return { kind: 'refused', reason: 'UNKNOWN_STAGE' };
  const from = stages.find((stage) => stage.code === deal.stage);
  if (from && from.kind !== 'open') return { kind: 'refused', reason: 'DEAL_CLOSED' };
  if (to.kind === 'lost') return { kind: 'askReason', stage: to };
  return { kind: 'move', stage: to };
}

/** The stages a deal can be moved to from the menu (the keyboard's way of dragging). */
export function moveTargets(deal: Pick<DealSummary, 'stage'>, stages: Stage[]): Stage[] {
  const from = stages.find((stage) => stage.code === deal.stage);
  if (from && from.kind !== 'open') return [];
  return [...stages].sort((a, b) => a.order - b.order).filter((stage) => stage.code !== deal.stage);
}

/**
 * The board after a move the server accepted: the deal leaves its column and goes on top of the
 * target; counts follow, and amounts move between the columns' totals (decimal strings, summed
 * in cents so that no float error creeps in).
 */
export function applyMove(columns: BoardColumn[], moved: DealSummary, from: string): BoardColumn[] {
  return columns.map((column) => {
    if (column.stage === from && column.stage !== moved.stage) {
      return {
        ...column,
        deals: column.deals.filter((deal) => deal.id !== moved.id),
        count: Math.max(0, column.count - 1),
        totalAmount: addAmount(column.totalAmount, moved.currency, moved.amount, -1),
      };
    }
    if (column.stage === moved.stage && column.stage !== from) {
      return {
        ...column,
        deals: [moved, ...column.deals.filter((deal) => deal.id !== moved.id)],
        count: column.count + 1,
        totalAmount: addAmount(column.totalAmount, moved.currency, moved.amount, 1),
      };
    }
    if (column.stage === moved.stage) {
      return { ...column, deals: column.deals.map((deal) => (deal.id === moved.id ? moved : deal)) };
    }
    return column;
  });
}

/** Adds (sign 1) or takes away (sign -1) an amount in one currency from a column's totals. */
export function addAmount(
  totals: Partial<Record<Currency, string>>,
  currency: Currency,
  amount: string,
  sign: 1 | -1,
): Partial<Record<Currency, string>> {
  const next = cents(totals[currency]) + BigInt(sign) * cents(amount);
  const result = { ...totals };
  if (next === 0n) delete result[currency];
  else result[currency] = fromUnits(next, 2);
  return result;
}

const cents = (amount: string | undefined) => toUnits(amount ?? '0', 2) ?? 0n;
