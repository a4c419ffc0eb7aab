// Which events reach a subscriber: exact types, prefixes, every event, and the ones it leaves out.
import { describe, expect, it } from 'vitest';
import type { SubscriberDefinition } from './module.js';
import { subscriberMatches } from './outbox.js';

const subscriber = (events: string[], except?: string[]): SubscriberDefinition => ({
  name: 'test.subscriber',
  events,
  except,
  handle: async () => {},
});

describe('subscriberMatches', () => {
  it('matches exact types and prefixes ending in *', () => {
    expect(subscriberMatches(subscriber(['crm.deal.stageChanged']), 'crm.deal.stageChanged')).toBe(true);
    expect(subscriberMatches(subscriber(['crm.deal.stageChanged']), 'crm.deal.created')).toBe(false);
    expect(subscriberMatches(subscriber(['crm.*']), 'crm.client.created')).toBe(true);
    expect(subscriberMatches(subscriber(['crm.*']), 'erp.stock.posted')).toBe(false);
  });

  it('`*` takes the events of every module, except those it leaves out', () => {
    const everyOther = subscriber(['*'], ['bpm.*', 'erp.stock.posted']);
    expect(subscriberMatches(everyOther, 'crm.deal.stageChanged')).toBe(true);
    expect(subscriberMatches(everyOther, 'hr.employee.hired')).toBe(true);
    expect(subscriberMatches(everyOther, 'bpm.instance.started')).toBe(false);
    expect(subscriberMatches(everyOther, 'erp.stock.posted')).toBe(false);
    expect(subscriberMatches(everyOther, 'erp.stock.belowReorderLevel')).toBe(true);
  });
});
