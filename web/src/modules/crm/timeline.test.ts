import { describe, expect, it } from 'vitest';
import { timelineHref, timelineTitle } from './client-card';

const names: Record<string, string> = { new: 'Yangi', won: 'Yutilgan' };
const nameOf = (code: string) => names[code] ?? null;

describe('timelineTitle', () => {
  it('names the stages of a stage change in the reader’s language', () => {
    expect(timelineTitle({ kind: 'stageChange', title: 'new → won' }, nameOf)).toBe('Yangi → Yutilgan');
    expect(timelineTitle({ kind: 'stageChange', title: 'new -> won' }, nameOf)).toBe('Yangi → Yutilgan');
  });
  it('leaves other titles and unknown stages as written', () => {
    expect(timelineTitle({ kind: 'stageChange', title: 'new → odd' }, nameOf)).toBe('new → odd');
    expect(timelineTitle({ kind: 'activity', title: 'new → won' }, nameOf)).toBe('new → won');
  });
});

describe('timelineHref', () => {
  it('links deals, clients and ERP documents', () => {
    expect(timelineHref({ type: 'deal', id: 'd1' })).toBe('/crm/deals?deal=d1');
    expect(timelineHref({ type: 'client', id: 'c1' })).toBe('/crm/clients/c1');
    expect(timelineHref({ type: 'shipment', id: 's1' })).toBe('/erp/documents/s1');
    expect(timelineHref({ type: 'process', id: 'p1' })).toBeNull();
    expect(timelineHref(null)).toBeNull();
  });
});
