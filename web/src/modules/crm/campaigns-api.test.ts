import { describe, expect, it } from 'vitest';
import {
  audienceEntries,
  audienceHref,
  broughtAnything,
  broughtHref,
  type CampaignResults,
  campaignChoices,
  codeFromName,
} from './campaigns-api';

const nothing: CampaignResults = {
  leads: 0,
  converted: 0,
  conversionRate: null,
  deals: { open: { count: 0, amount: {} }, won: { count: 0, amount: {} }, lost: 0 },
  costPerLead: null,
  roi: null,
};

describe('a campaign code from its name', () => {
  it('is lower-case Latin letters and digits joined by dashes, as a link carries it', () => {
    expect(codeFromName('Navroʻz 2026')).toBe('navroz-2026');
    expect(codeFromName('  Qishki chegirma — SMS!  ')).toBe('qishki-chegirma-sms');
    expect(codeFromName("G'alaba kuni")).toBe('galaba-kuni');
    expect(codeFromName('Ярмарка')).toBe('');
  });

  it('stays within the 60 characters a code may have, without a dash at the end', () => {
    const code = codeFromName(`${'a'.repeat(59)} b`);
    expect(code.length).toBeLessThanOrEqual(60);
    expect(code.endsWith('-')).toBe(false);
  });
});

describe('the links of a campaign card', () => {
  it('opens the clients list with the audience as its filters, in the card’s order', () => {
    const audience = { segment: 'Ulgurji', status: 'lead', region: 'TK' } as const;
    expect(audienceEntries(audience)).toEqual([
      ['status', 'lead'],
      ['region', 'TK'],
      ['segment', 'Ulgurji'],
    ]);
    expect(audienceHref(audience)).toBe('/crm/clients?status=lead&region=TK&segment=Ulgurji');
    expect(audienceHref({})).toBe('/crm/clients');
    expect(audienceHref({ tag: 'vip & co' })).toBe('/crm/clients?tag=vip+%26+co');
  });

  it('opens the clients a campaign brought', () => {
    expect(broughtHref('0b6f')).toBe('/crm/clients?campaignId=0b6f');
  });
});

describe('what a campaign brought', () => {
  it('counts a lead or any deal, open, won or lost: then it stays on record', () => {
    expect(broughtAnything(nothing)).toBe(false);
    expect(broughtAnything({ ...nothing, leads: 1 })).toBe(true);
    expect(broughtAnything({ ...nothing, deals: { ...nothing.deals, lost: 1 } })).toBe(true);
  });
});

describe('the campaigns a form offers', () => {
  it('puts running and planned campaigns first, each group by name', () => {
    const choices = campaignChoices([
      { id: '1', name: 'Yozgi', status: 'finished' },
      { id: '2', name: 'Navroʻz', status: 'planned' },
      { id: '3', name: 'Bahor', status: 'active' },
      { id: '4', name: 'Auksion', status: 'planned' },
    ]);
    expect(choices.map((c) => c.id)).toEqual(['3', '4', '2', '1']);
  });
});
