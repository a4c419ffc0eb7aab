// A campaign's measured effect, counted from the rows the sales work on: the clients it
// brought, how many of them won a deal, its deals by where they stand, cost per lead and ROI.
// Grouped in SQL over the partial campaign indexes, for the campaigns of one page at a time.
import { sql } from 'kysely';
import { tally } from './amounts.js';
import type { CampaignResults, CampaignStatus } from './campaign-schema.js';
import type { Trx } from './define.js';
import { formatUnits, toUnits } from './money.js';
import type { Currency } from './schema.js';

/** budget / leads rounded half up to tiyin, or null when either is missing. */
export function costPerLead(budget: string | null, leads: number): string | null {
  if (budget === null || leads === 0) return null;
  const units = toUnits(budget, 2);
  const n = BigInt(leads);
  return formatUnits((units * 2n + n) / (2n * n), 2);
}

/** (won - budget) / budget in the budget's currency, to four places; null without a budget. */
export function returnOnBudget(budget: string | null, won: string | undefined): number | null {
  if (budget === null) return null;
  const cost = toUnits(budget, 2);
  if (cost === 0n) return null;
  const gain = toUnits(won ?? '0', 2) - cost;
  return Math.round((Number(gain) / Number(cost)) * 10_000) / 10_000;
}

export type Costed = { id: string; status: CampaignStatus; budget: string | null; currency: Currency };

/** The results of each campaign given, by id. */
export async function campaignResults(db: Trx, campaigns: Costed[]): Promise<Map<string, CampaignResults>> {
  const results = new Map<string, CampaignResults>();
  if (campaigns.length === 0) return results;
  const ids = campaigns.map((c) => c.id);
  const [clients, deals] = await Promise.all([
    sql<{ campaign_id: string; leads: number; converted: number }>`
      select c.campaign_id, count(*)::int as leads,
        count(*) filter (where exists (
          select 1 from crm_deals d
          join crm_stages s on s.pipeline_id = d.pipeline_id and s.code = d.stage
          where d.client_id = c.id and s.kind = 'won'))::int as converted
      from crm_clients c
      where c.campaign_id in (${sql.join(ids)})
      group by c.campaign_id`.execute(db),
    sql<{ campaign_id: string; kind: 'open' | 'won' | 'lost'; currency: Currency; n: number; total: string }>`
      select d.campaign_id, s.kind, d.currency, count(*)::int as n, sum(d.amount)::text as total
      from crm_deals d
      join crm_stages s on s.pipeline_id = d.pipeline_id and s.code = d.stage
      where d.campaign_id in (${sql.join(ids)})
      group by d.campaign_id, s.kind, d.currency`.execute(db),
  ]);
  const clientsOf = new Map(clients.rows.map((r) => [r.campaign_id, r]));
  for (const campaign of campaigns) {
    const its = deals.rows.filter((row) => row.campaign_id === campaign.id);
    const open = tally(its.filter((row) => row.kind === 'open'));
    const won = tally(its.filter((row) => row.kind === 'won'));
    const lost = tally(its.filter((row) => row.kind === 'lost')).count;
    const leads = Number(clientsOf.get(campaign.id)?.leads ?? 0);
    const converted = Number(clientsOf.get(campaign.id)?.converted ?? 0);
    results.set(campaign.id, {
      leads,
      converted,
      conversionRate: leads === 0 ? null : Math.round((converted / leads) * 10_000) / 10_000,
      deals: { open, won, lost },
      costPerLead: costPerLead(campaign.budget, leads),
      // A campaign not begun has spent nothing yet: "-100 %" would read as a failure.
      roi:
        campaign.status === 'planned' ? null : returnOnBudget(campaign.budget, won.amount[campaign.currency]),
    });
  }
  return results;
}
