import { describe, expect, it } from 'vitest';
import type { BoardColumn, DealSummary, Stage } from './api';
import { addAmount, applyMove, moveTargets, planMove } from './board';

const stage = (code: string, order: number, kind: Stage['kind'] = 'open'): Stage => ({
  code,
  name: code,
  order,
  probability: 10 * order,
  responsibleId: null,
  kind,
});
const STAGES = [
  stage('new', 1),
  stage('qualified', 2),
  stage('proposal', 3),
  stage('negotiation', 4),
  stage('won', 5, 'won'),
  stage('lost', 6, 'lost'),
];

const deal = (id: string, stageCode: string, amount = '100.00', currency: DealSummary['currency'] = 'UZS') =>
  ({ id, stage: stageCode, amount, currency }) as DealSummary;

describe('planMove', () => {
  it('moves between open stages and to won (the server checks the lines)', () => {
    expect(planMove({ stage: 'new' }, 'proposal', STAGES)).toMatchObject({ kind: 'move' });
    expect(planMove({ stage: 'negotiation' }, 'won', STAGES)).toMatchObject({ kind: 'move' });
  });
  it('asks for a reason before lost', () => {
    expect(planMove({ stage: 'new' }, 'lost', STAGES)).toMatchObject({ kind: 'askReason' });
  });
  it('does nothing on its own column, refuses closed deals and unknown stages', () => {
    expect(planMove({ stage: 'new' }, 'new', STAGES)).toEqual({ kind: 'none' });
    expect(planMove({ stage: 'won' }, 'new', STAGES)).toEqual({ kind: 'refused', reason: 'DEAL_CLOSED' });
    expect(planMove({ stage: 'lost' }, 'won', STAGES)).toEqual({ kind: 'refused', reason: 'DEAL_CLOSED' });
    expect(planMove({ stage: 'new' }, 'nowhere', STAGES)).toEqual({
      kind: 'refused',
      reason: 'UNKNOWN_STAGE',
    });
  });
});

describe('moveTargets', () => {
  it('lists the other stages in order, none for a closed deal', () => {
    expect(moveTargets({ stage: 'qualified' }, STAGES).map((s) => s.code)).toEqual([
      'new',
      'proposal',
      'negotiation',
      'won',
      'lost',
    ]);
    expect(moveTargets({ stage: 'won' }, STAGES)).toEqual([]);
  });
});

describe('applyMove', () => {
  it('moves the card, the count and the amount between columns', () => {
    const columns: BoardColumn[] = [
      {
        stage: 'new',
        deals: [deal('a', 'new', '1500000.00'), deal('b', 'new')],
        count: 2,
        totalAmount: { UZS: '1500100.00' },
      },
      { stage: 'won', deals: [], count: 0, totalAmount: {} },
    ];
    const next = applyMove(columns, deal('a', 'won', '1500000.00'), 'new');
    expect(next[0]).toMatchObject({ count: 1, totalAmount: { UZS: '100.00' } });
    expect(next[0]?.deals.map((d) => d.id)).toEqual(['b']);
    expect(next[1]).toMatchObject({ count: 1, totalAmount: { UZS: '1500000.00' } });
    expect(next[1]?.deals.map((d) => d.id)).toEqual(['a']);
  });
});

describe('addAmount', () => {
  it('adds exactly and drops a currency that reaches zero', () => {
    expect(addAmount({ USD: '0.10' }, 'USD', '0.20', 1)).toEqual({ USD: '0.30' });
    expect(addAmount({ USD: '0.30', UZS: '5.00' }, 'USD', '0.30', -1)).toEqual({ UZS: '5.00' });
    expect(addAmount({}, 'EUR', '12.5', 1)).toEqual({ EUR: '12.50' });
  });
});
