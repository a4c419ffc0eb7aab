// Marketing campaigns: planning one, the clients and deals it brought and the figures counted
// from them (conversion, cost per lead, ROI per currency), the audience as the client list
// counts it, the rules on codes and dates, stale revisions, rights, and removing one.
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../server/core/module.js';
import type { TestUser } from '../../server/testing/test-suite.js';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { costPerLead, returnOnBudget } from './campaign-results.js';
import type { Campaign, CampaignDetail } from './campaign-schema.js';
import { issuePaths, makeClient, makeDeal, makeProduct, salesTeam, tag } from './test-helpers.js';

const STAGES = [
  { code: 'new', name: 'Yangi', probability: 10 },
  { code: 'won', name: 'Yutilgan', probability: 100, kind: 'won' },
  { code: 'lost', name: 'Yutqazilgan', probability: 0, kind: 'lost' },
];

it('divides the budget over the leads to the tiyin, and weighs the won amount against it', () => {
  expect(costPerLead('1000000', 3)).toBe('333333.33');
  expect(costPerLead('2.00', 3)).toBe('0.67');
  expect(costPerLead(null, 3)).toBeNull();
  expect(costPerLead('1000', 0)).toBeNull();
  expect(returnOnBudget('1000000', '2500000.00')).toBe(1.5);
  expect(returnOnBudget('1000000', undefined)).toBe(-1);
  expect(returnOnBudget('0', '5')).toBeNull();
  expect(returnOnBudget(null, '5')).toBeNull();
});

describeEachBackend('crm marketing campaigns', (t) => {
  async function world() {
    const team = await salesTeam(t());
    const pipeline = await t().request('POST', '/api/crm/pipelines', {
      cookie: team.head.cookie,
      body: { name: `Kampaniya ${tag()}`, stages: STAGES },
    });
    expect(pipeline.status).toBe(201);
    const product = await makeProduct(t());
    const plan = async (body: Record<string, unknown> = {}, user: TestUser = team.head) => {
      const made = await t().request<CampaignDetail>('POST', '/api/crm/campaigns', {
        cookie: user.cookie,
        body: { code: `navruz-${tag()}`, name: 'Navroʻz aksiyasi', channel: 'messenger', ...body },
      });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      return made.body;
    };
    const deal = async (
      user: TestUser,
      clientId: string,
      stage: string,
      body: Record<string, unknown> = {},
    ) => {
      const made = await makeDeal(
        t(),
        {
          clientId,
          pipelineId: pipeline.body.id,
          lines: [{ productId: product.id, quantity: '1', price: '1' }],
          ...body,
        },
        user.cookie,
      );
      if (stage !== 'new') {
        const moved = await t().request('POST', `/api/crm/deals/${made.id}/stage`, {
          cookie: user.cookie,
          body: { stage, ...(stage === 'lost' && { lostReason: 'Narx qimmat' }) },
        });
        expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      }
      return made;
    };
    const get = (id: string, user: TestUser = team.head) =>
      t().request<CampaignDetail>('GET', `/api/crm/campaigns/${id}`, { cookie: user.cookie });
    return { ...team, plan, deal, get };
  }

  it('plans a campaign with its defaults, and refuses a taken code, a bad code and an end before the start', async () => {
    const { head, plan } = await world();
    const code = `expo-${tag()}`;
    const made = await plan({
      code: code.toUpperCase(),
      channel: 'event',
      startsOn: '2026-03-01',
      endsOn: '2026-03-21',
      budget: '15000000',
      audience: { status: 'prospect', region: '', segment: 'Ulgurji' },
    });
    expect(made).toMatchObject({
      code,
      status: 'planned',
      currency: 'UZS',
      budget: '15000000.00',
      ownerId: head.id,
      ownerName: 'Dilshod Karimov',
      // An empty filter is no filter.
      audience: { status: 'prospect', segment: 'Ulgurji' },
      revision: 1,
      results: {
        leads: 0,
        converted: 0,
        conversionRate: null,
        deals: { open: { count: 0, amount: {} }, won: { count: 0, amount: {} }, lost: 0 },
        costPerLead: null,
        // Not begun: nothing is spent yet, so there is no return to speak of.
        roi: null,
      },
    });
    expect(made.audience).not.toHaveProperty('region');

    const send = (body: Record<string, unknown>) =>
      t().request('POST', '/api/crm/campaigns', {
        cookie: head.cookie,
        body: { code: `x-${tag()}`, name: 'Sinov', channel: 'sms', ...body },
      });
    const taken = await send({ code });
    expect(taken.status).toBe(400);
    expect(issuePaths(taken.body)).toEqual(['code']);
    const bad = await send({ code: 'Navroʻz 2026' });
    expect(bad.status).toBe(400);
    expect(issuePaths(bad.body)).toEqual(['code']);
    const backwards = await send({ startsOn: '2026-03-21', endsOn: '2026-03-01' });
    expect(backwards.status).toBe(400);
    expect(issuePaths(backwards.body)).toEqual(['endsOn']);
    const channel = await send({ channel: 'pigeon', budget: '-5' });
    expect(channel.status).toBe(400);
    expect(issuePaths(channel.body).sort()).toEqual(['budget', 'channel']);
    const count = await sql<{
      n: number;
    }>`select count(*)::int as n from crm_campaigns where name = 'Sinov'`.execute(t().db);
    expect(count.rows[0]!.n).toBe(0);
  });

  it('counts the clients a campaign brought, their won deals and what was won against the budget', async () => {
    const { a, b, head, plan, deal, get } = await world();
    const campaign = await plan({ budget: '1000000', status: 'active' });
    const other = await plan();
    // Three leads from the campaign: one won twice (soʻm and dollars), one lost, one still open.
    const won = await makeClient(t(), { campaignId: campaign.id }, a.cookie);
    const lost = await makeClient(t(), { campaignId: campaign.id }, a.cookie);
    const open = await makeClient(t(), { campaignId: campaign.id }, b.cookie);
    const unrelated = await makeClient(t(), {}, a.cookie);
    expect(won).toMatchObject({ campaignId: campaign.id, campaignName: 'Navroʻz aksiyasi' });
    const first = await deal(a, won.id, 'won', { amount: '1500000' });
    expect(first).toMatchObject({ campaignId: campaign.id, campaignName: 'Navroʻz aksiyasi' });
    await deal(a, won.id, 'won', { amount: '1000', currency: 'USD' });
    // A deal may count for another campaign, or for none.
    await deal(a, won.id, 'won', { amount: '7000000', campaignId: other.id });
    await deal(a, won.id, 'won', { amount: '9000000', campaignId: null });
    await deal(a, lost.id, 'lost', { amount: '500000' });
    await deal(b, open.id, 'new', { amount: '800000' });
    // A client of no campaign answering it later: its deal is set to count for it.
    await deal(a, unrelated.id, 'won', { amount: '1000000', campaignId: campaign.id });

    const { body } = await get(campaign.id);
    expect(body.results).toEqual({
      leads: 3,
      converted: 1,
      conversionRate: 0.3333,
      deals: {
        open: { count: 1, amount: { UZS: '800000.00' } },
        won: { count: 3, amount: { UZS: '2500000.00', USD: '1000.00' } },
        lost: 1,
      },
      costPerLead: '333333.33',
      // Won in soʻm 2.5 million on a budget of 1 million; the dollars are not converted.
      roi: 1.5,
    });
    const otherResults = (await get(other.id)).body.results;
    expect(otherResults).toMatchObject({
      leads: 0,
      deals: { won: { count: 1, amount: { UZS: '7000000.00' } } },
    });

    // The list carries the same figures; the clients and deals lists filter by the campaign.
    const list = await t().request<{ items: Campaign[] }>(
      'GET',
      '/api/crm/campaigns?status=active&q=navruz',
      {
        cookie: head.cookie,
      },
    );
    expect(list.body.items.find((c) => c.id === campaign.id)?.results).toEqual(body.results);
    expect(list.body.items.every((c) => c.status === 'active')).toBe(true);
    const clients = await t().request('GET', `/api/crm/clients?campaignId=${campaign.id}`, {
      cookie: head.cookie,
    });
    expect(clients.body.items.map((c: { id: string }) => c.id).sort()).toEqual(
      [won.id, lost.id, open.id].sort(),
    );
    // A manager lists only their own among them.
    const mine = await t().request('GET', `/api/crm/clients?campaignId=${campaign.id}`, { cookie: b.cookie });
    expect(mine.body.items.map((c: { id: string }) => c.id)).toEqual([open.id]);
    const deals = await t().request('GET', `/api/crm/deals?campaignId=${campaign.id}`, {
      cookie: head.cookie,
    });
    expect(deals.body.total).toBe(5);
  });

  it('counts the audience as the client list would, and a client moved to another campaign leaves the first', async () => {
    const { a, head, plan, get } = await world();
    const segment = `Segment ${tag()}`;
    const campaign = await plan({ audience: { segment, status: 'prospect' } });
    await makeClient(t(), { segment, status: 'prospect' }, a.cookie);
    await makeClient(t(), { segment, status: 'prospect' }, head.cookie);
    await makeClient(t(), { segment, status: 'active' }, a.cookie);
    expect((await get(campaign.id)).body.audienceCount).toEqual({ total: 2, exact: true });
    // The manager's count is of their own clients.
    expect((await get(campaign.id, a)).body.audienceCount).toEqual({ total: 1, exact: true });

    const lead = await makeClient(t(), { campaignId: campaign.id }, a.cookie);
    const other = await plan();
    const moved = await t().request('PATCH', `/api/crm/clients/${lead.id}`, {
      cookie: a.cookie,
      body: { campaignId: other.id },
    });
    expect(moved.status).toBe(200);
    expect((await get(campaign.id)).body.results.leads).toBe(0);
    expect((await get(other.id)).body.results.leads).toBe(1);
    const unknown = await t().request('PATCH', `/api/crm/clients/${lead.id}`, {
      cookie: a.cookie,
      body: { campaignId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(unknown.status).toBe(400);
    expect(issuePaths(unknown.body)).toEqual(['campaignId']);
  });

  it('takes a lead from a link with the campaign code, and keeps a lead whose code is unknown', async () => {
    const { plan } = await world();
    const campaign = await plan();
    const lead = await t().suite.registry.call<{ campaignId: string | null; status: string }>(
      'crm.createLead',
      { name: 'Samarqand Qurilish MChJ', campaignCode: campaign.code.toUpperCase() },
      { actor: SYSTEM_ACTOR },
    );
    expect(lead).toMatchObject({ campaignId: campaign.id, status: 'lead' });
    const stale = await t().suite.registry.call<{ campaignId: string | null }>(
      'crm.createLead',
      { name: 'Buxoro Savdo MChJ', campaignCode: 'eski-aksiya' },
      { actor: SYSTEM_ACTOR },
    );
    expect(stale.campaignId).toBeNull();
  });

  it('changes a campaign under its revision: a stale one is 409 and changes nothing', async () => {
    const { head, plan, get } = await world();
    const campaign = await plan({ startsOn: '2026-03-01' });
    const patch = (body: Record<string, unknown>) =>
      t().request('PATCH', `/api/crm/campaigns/${campaign.id}`, {
        cookie: head.cookie,
        body,
      });
    const started = await patch({ revision: 1, status: 'active', budget: '2000000' });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    expect(started.body).toMatchObject({ status: 'active', budget: '2000000.00', revision: 2 });
    const stale = await patch({ revision: 1, status: 'finished' });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'CAMPAIGN_CHANGED', details: { revision: 2 } });
    const backwards = await patch({ endsOn: '2026-02-01' });
    expect(backwards.status).toBe(400);
    expect(issuePaths(backwards.body)).toEqual(['endsOn']);
    // The same values again change nothing, not even the revision.
    const same = await patch({ status: 'active', name: campaign.name });
    expect(same.body.revision).toBe(2);
    expect((await get(campaign.id)).body).toMatchObject({ status: 'active', revision: 2, endsOn: null });

    // Two writers at once with the revision they both saw: one wins, the other is told.
    const both = await Promise.all([
      patch({ revision: 2, name: 'Navroʻz 1' }),
      patch({ revision: 2, name: 'Navroʻz 2' }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await get(campaign.id)).body.revision).toBe(3);
  });

  it('lets only the sales head plan campaigns, and removes only one that brought nothing', async () => {
    const { a, head, plan, get } = await world();
    const refused = await t().request('POST', '/api/crm/campaigns', {
      cookie: a.cookie,
      body: { code: `x-${tag()}`, name: 'Meniki', channel: 'sms' },
    });
    expect(refused.status).toBe(403);
    // A manager still reads campaigns and their figures.
    const used = await plan();
    expect((await get(used.id, a)).status).toBe(200);
    const patched = await t().request('PATCH', `/api/crm/campaigns/${used.id}`, {
      cookie: a.cookie,
      body: { status: 'finished' },
    });
    expect(patched.status).toBe(403);

    await makeClient(t(), { campaignId: used.id }, a.cookie);
    const inUse = await t().request('DELETE', `/api/crm/campaigns/${used.id}`, { cookie: head.cookie });
    expect(inUse.status).toBe(409);
    expect(inUse.body.error).toMatchObject({ code: 'CAMPAIGN_IN_USE', details: { clients: 1, deals: 0 } });
    const unused = await plan();
    const removed = await t().request('DELETE', `/api/crm/campaigns/${unused.id}`, { cookie: head.cookie });
    expect(removed.status).toBe(204);
    expect((await get(unused.id)).status).toBe(404);
  });

  it('keeps the first campaign when two clients are merged', async () => {
    const { head, plan } = await world();
    const campaign = await plan();
    const keep = await makeClient(t(), {}, head.cookie);
    const other = await makeClient(t(), { campaignId: campaign.id }, head.cookie);
    const merged = await t().request('POST', `/api/crm/clients/${keep.id}/merge`, {
      cookie: head.cookie,
      body: { otherId: other.id },
    });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const card = await t().request('GET', `/api/crm/clients/${keep.id}`, { cookie: head.cookie });
    expect(card.body.client.campaignId).toBe(campaign.id);
  });
});
