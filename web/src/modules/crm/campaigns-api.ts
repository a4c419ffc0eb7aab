// Marketing campaigns as the web app uses them: the shapes of modules/crm/campaign-schema.ts (the
// web app does not import server code, so they are repeated here), the calls of API.md
// ("Marketing campaigns") and the small rules the pages share.
import { ApiError, api, type ListQuery, type Page } from '../../app/api';
import type { Amounts } from './amounts';
import { type ClientKind, type ClientStatus, CRM, type Currency } from './api';

export const CAMPAIGN_CHANNELS = [
  'email',
  'sms',
  'messenger',
  'social',
  'ads',
  'event',
  'web',
  'referral',
  'other',
] as const;
export const CAMPAIGN_STATUSES = ['planned', 'active', 'finished'] as const;

export type CampaignChannel = (typeof CAMPAIGN_CHANNELS)[number];
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** Where a campaign's status goes next: planned, then running, then over. */
export const NEXT_CAMPAIGN_STATUS: Record<CampaignStatus, Exclude<CampaignStatus, 'planned'> | null> = {
  planned: 'active',
  active: 'finished',
  finished: null,
};

/** The clients a campaign is aimed at, as the client list filters them (all given must match). */
export type CampaignAudience = {
  status?: ClientStatus;
  kind?: ClientKind;
  region?: string;
  segment?: string;
  source?: string;
  tag?: string;
};

/** The audience's filters, in the order the card names them. */
export const AUDIENCE_FILTERS = ['status', 'kind', 'region', 'segment', 'source', 'tag'] as const;

type CountAndAmount = { count: number; amount: Amounts };

export type CampaignResults = {
  /** Clients the campaign brought. */
  leads: number;
  /** Of those, clients with at least one won deal. */
  converted: number;
  /** converted / leads, 0-1; null without leads. */
  conversionRate: number | null;
  /** Deals counted for the campaign, by where they stand now. */
  deals: { open: CountAndAmount; won: CountAndAmount; lost: number };
  /** The budget over the leads, in the budget's currency; null without a budget or leads. */
  costPerLead: string | null;
  /** (won in the budget's currency - budget) / budget: 1.5 is two and a half times its cost back. */
  roi: number | null;
};

export type Campaign = {
  id: string;
  code: string;
  name: string;
  channel: CampaignChannel;
  status: CampaignStatus;
  startsOn: string | null;
  endsOn: string | null;
  budget: string | null;
  currency: Currency;
  ownerId: string | null;
  ownerName: string | null;
  audience: CampaignAudience;
  description: string | null;
  revision: number;
  createdAt: string;
  updatedAt: string;
  results: CampaignResults;
};

/** A campaign with how many clients its audience holds now (up to 1 000, `exact: false` beyond). */
export type CampaignDetail = Campaign & { audienceCount: { total: number; exact: boolean } };

export type NewCampaign = {
  code: string;
  name: string;
  channel: CampaignChannel;
  status?: CampaignStatus;
  startsOn?: string | null;
  endsOn?: string | null;
  budget?: string | null;
  currency?: Currency;
  ownerId?: string | null;
  audience?: CampaignAudience;
  description?: string | null;
};

export type CampaignPatch = Partial<NewCampaign>;

const CAMPAIGNS = `${CRM}/campaigns`;
const one = (id: string) => `${CAMPAIGNS}/${encodeURIComponent(id)}`;

export const listCampaigns = (query: ListQuery, signal?: AbortSignal) =>
  api<Page<Campaign>>('GET', CAMPAIGNS, undefined, { query, signal });

export const getCampaign = (id: string, signal?: AbortSignal) =>
  api<CampaignDetail>('GET', one(id), undefined, { signal });

export const createCampaign = (campaign: NewCampaign) => api<CampaignDetail>('POST', CAMPAIGNS, campaign);

/** Changes a campaign as last read: `revision` makes the server refuse it if someone changed it since. */
export const updateCampaign = (campaign: Pick<Campaign, 'id' | 'revision'>, patch: CampaignPatch) =>
  api<CampaignDetail>('PATCH', one(campaign.id), { ...patch, revision: campaign.revision });

export const deleteCampaign = (id: string) => api<undefined>('DELETE', one(id));

/** Someone changed the campaign since it was read: the card reads it again. */
export function isCampaignStale(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'CAMPAIGN_CHANGED';
}

/** Whether a campaign brought anything: then it stays on record (DELETE answers 409 CAMPAIGN_IN_USE). */
export function broughtAnything(results: CampaignResults): boolean {
  const { open, won, lost } = results.deals;
  return results.leads > 0 || open.count + won.count + lost > 0;
}

/** The audience's filters that are set, in the card's order. */
export function audienceEntries(audience: CampaignAudience): [(typeof AUDIENCE_FILTERS)[number], string][] {
  return AUDIENCE_FILTERS.flatMap((key) => {
    const value = audience[key];
    return value ? [[key, value] as [(typeof AUDIENCE_FILTERS)[number], string]] : [];
  });
}

/** The clients list showing the audience: the same filters in its address. */
export function audienceHref(audience: CampaignAudience): string {
  const query = new URLSearchParams(audienceEntries(audience)).toString();
  return query ? `/crm/clients?${query}` : '/crm/clients';
}

/** The clients list of those a campaign brought. */
export const broughtHref = (campaignId: string) =>
  `/crm/clients?campaignId=${encodeURIComponent(campaignId)}`;

/**
 * A code for a campaign named so: lower-case Latin letters and digits joined by dashes, as a
 * link's utm_campaign carries it ("Navroʻz 2026" -> "navroz-2026"); '' when nothing is left.
 */
export function codeFromName(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[\u0300-\u036f\u02bb\u02bc'‘’`]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

/** Campaigns to choose from in a client's or deal's form: running and planned first, then by name. */
export function campaignChoices(campaigns: Pick<Campaign, 'id' | 'name' | 'status'>[]) {
  const rank: Record<CampaignStatus, number> = { active: 0, planned: 1, finished: 2 };
  return [...campaigns].sort((a, b) => rank[a.status] - rank[b.status] || a.name.localeCompare(b.name));
}
