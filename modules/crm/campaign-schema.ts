// The shapes of marketing campaigns in the API: the campaign, the clients it aims at (the client
// list's filters) and its measured effect.
import { z } from 'zod';
import { countAndAmountSchema } from './amounts.js';
import { clientKindSchema, clientStatusSchema } from './client-schema.js';
import { currencySchema } from './deal-schema.js';

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
export const campaignChannelSchema = z.enum(CAMPAIGN_CHANNELS);
export type CampaignChannel = z.infer<typeof campaignChannelSchema>;

export const CAMPAIGN_STATUSES = ['planned', 'active', 'finished'] as const;
export const campaignStatusSchema = z.enum(CAMPAIGN_STATUSES);
export type CampaignStatus = z.infer<typeof campaignStatusSchema>;

/** Lower-case letters, digits, - and _, as a link's utm_campaign carries it. */
export const campaignCodeSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(60)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'CAMPAIGN_CODE_INVALID');

const filterText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? undefined : v))
    .optional();

/** The clients a campaign is aimed at, as the client list filters them (all given must match). */
export const campaignAudienceSchema = z.object({
  status: clientStatusSchema.optional(),
  kind: clientKindSchema.optional(),
  region: filterText(100),
  segment: filterText(100),
  source: filterText(100),
  tag: filterText(50),
});
export type CampaignAudience = z.infer<typeof campaignAudienceSchema>;

export const campaignResultsSchema = z.object({
  /** Clients the campaign brought. */
  leads: z.number().int(),
  /** Of those, clients with at least one won deal. */
  converted: z.number().int(),
  /** converted / leads, 0-1; null without leads. */
  conversionRate: z.number().nullable(),
  /** Deals counted for the campaign, by where they stand now. */
  deals: z.object({ open: countAndAmountSchema, won: countAndAmountSchema, lost: z.number().int() }),
  /** The budget over the leads, in the budget's currency; null without a budget or leads. */
  costPerLead: z.string().nullable(),
  /** (won in the budget's currency - budget) / budget; null without a budget above zero or while planned. */
  roi: z.number().nullable(),
});
export type CampaignResults = z.infer<typeof campaignResultsSchema>;

export const campaignSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  channel: campaignChannelSchema,
  status: campaignStatusSchema,
  startsOn: z.string().nullable(),
  endsOn: z.string().nullable(),
  budget: z.string().nullable(),
  currency: currencySchema,
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  audience: campaignAudienceSchema,
  description: z.string().nullable(),
  revision: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  results: campaignResultsSchema,
});
export type Campaign = z.infer<typeof campaignSchema>;

export const campaignDetailSchema = campaignSchema.extend({
  /** Clients matching the audience now, counted up to the client list's cap. */
  audienceCount: z.object({ total: z.number().int(), exact: z.boolean() }),
});
export type CampaignDetail = z.infer<typeof campaignDetailSchema>;
