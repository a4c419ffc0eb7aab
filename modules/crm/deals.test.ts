// Pipelines, deals, the stage rules, the board totals, and the event every move emits.
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { makeClient, makeDeal, makeProduct, salesTeam } from './test-helpers.js';

describeEachBackend('crm deals', (t) => {
  it('has the default pipeline with its six stages and their probabilities', async () => {
    const pipelines = await t().request('GET', '/api/crm/pipelines', { cookie: t().admin.cookie });
    const main = pipelines.body.items.find((p: { isDefault: boolean }) => p.isDefault);
    expect(main.stages.map((s: { code: string }) => s.code)).toEqual([
      'new',
      'qualified',
      'proposal',
      'negotiation',
      'won',
      'lost',
    ]);
    expect(main.stages.find((s: { code: string }) => s.code === 'won')).toMatchObject({
      kind: 'won',
      probability: 100,
    });
  });

  it('creates a deal in "new", with lines from ERP products and the amount from them', async () => {
    const client = await makeClient(t());
    const product = await makeProduct(t());
    const deal = await makeDeal(t(), {
      clientId: client.id,
      amount: undefined,
      lines: [{ productId: product.id, quantity: '2.5', price: '100000.10' }],
    });
    expect(deal).toMatchObject({
      stage: 'new',
      currency: 'UZS',
      amount: '250000.25',
      probability: 10,
      clientName: client.name,
      lines: [{ productId: product.id, productName: 'Sement M400', quantity: '2.500', price: '100000.10' }],
    });
    const unknown = await t().request('POST', '/api/crm/deals', {
      cookie: t().admin.cookie,
      body: { clientId: client.id, title: 'X', lines: [{ productId: client.id, quantity: 1, price: 1 }] },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.issues[0].path).toBe('lines.0.productId');
  });

  it('tells a too large amount or quantity from a malformed one, and a sum past the column is a 422', async () => {
    const client = await makeClient(t());
    const product = await makeProduct(t());
    const head = await t().createUser(['sales_head'], { locale: 'en' });
    const post = (body: Record<string, unknown>) =>
      t().request('POST', '/api/crm/deals', {
        cookie: head.cookie,
        body: { clientId: client.id, title: 'Katta', ...body },
      });
    const issueOf = (res: {
      body: { error: { details: { issues: { path: string; message: string }[] } } };
    }) => res.body.error.details.issues[0];
    const tooBig = await post({ amount: '12345678901234567' });
    expect(tooBig.status).toBe(400);
    expect(issueOf(tooBig)).toEqual({
      path: 'amount',
      message: 'An amount has at most 16 digits before the decimal point.',
    });
    const malformed = await post({ amount: '12.345' });
    expect(issueOf(malformed)).toEqual({
      path: 'amount',
      message: 'Enter an amount with at most 2 decimals.',
    });
    const quantity = await post({
      lines: [{ productId: product.id, quantity: '1234567890123456', price: '1' }],
    });
    expect(issueOf(quantity)).toEqual({
      path: 'lines.0.quantity',
      message: 'A quantity has at most 15 digits before the decimal point.',
    });
    const zero = await post({ lines: [{ productId: product.id, quantity: '0', price: '1' }] });
    expect(issueOf(zero)).toEqual({
      path: 'lines.0.quantity',
      message: 'Enter a quantity above zero with at most 3 decimals.',
    });
    // Leading zeros are no digits: the largest amount the column holds is accepted.
    const largest = await post({ amount: '0009999999999999999.99' });
    expect(largest.status).toBe(201);
    expect(largest.body.amount).toBe('9999999999999999.99');
    // Each figure fits, their product does not: the database refuses, nothing is written.
    const before = await t().request('GET', `/api/crm/deals?clientId=${client.id}`, {
      cookie: t().admin.cookie,
    });
    const sum = await post({
      lines: [{ productId: product.id, quantity: '100000', price: '9999999999999999' }],
    });
    expect(sum.status).toBe(422);
    expect(sum.body.error.code).toBe('NUMBER_OUT_OF_RANGE');
    const after = await t().request('GET', `/api/crm/deals?clientId=${client.id}`, {
      cookie: t().admin.cookie,
    });
    expect(after.body.total).toBe(before.body.total);
  });

  it('refuses won without lines, lost without a reason, an unknown stage and moving a closed deal (422 DEAL_STAGE_INVALID)', async () => {
    const client = await makeClient(t());
    const deal = await makeDeal(t(), { clientId: client.id });
    const move = (id: string, body: Record<string, unknown>, lang = 'en') =>
      t().request('POST', `/api/crm/deals/${id}/stage`, {
        cookie: t().admin.cookie,
        body,
        headers: { 'accept-language': lang },
      });
    for (const [body, reason] of [
      [{ stage: 'won' }, 'WON_NEEDS_LINES'],
      [{ stage: 'lost' }, 'LOST_NEEDS_REASON'],
      [{ stage: 'paid' }, 'UNKNOWN_STAGE'],
    ] as const) {
      const refused = await move(deal.id, body);
      expect(refused.status).toBe(422);
      expect(refused.body.error).toMatchObject({ code: 'DEAL_STAGE_INVALID', details: { reason } });
    }
    // The message names the reason in the user's language (the test admin reads Uzbek).
    const uz = await move(deal.id, { stage: 'won' });
    expect(uz.body.error.message).toContain('mahsulot qatori');
    const moved = await move(deal.id, { stage: 'proposal' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ stage: 'proposal', probability: 50 });
    const lost = await move(deal.id, { stage: 'lost', lostReason: 'Narx qimmat' });
    expect(lost.body).toMatchObject({ stage: 'lost', lostReason: 'Narx qimmat', probability: 0 });
    const reopened = await move(deal.id, { stage: 'new' });
    expect(reopened.body.error.details.reason).toBe('DEAL_CLOSED');

    const product = await makeProduct(t());
    const winner = await makeDeal(t(), { clientId: client.id });
    await t().request('PATCH', `/api/crm/deals/${winner.id}`, {
      cookie: t().admin.cookie,
      body: { lines: [{ productId: product.id, quantity: 1, price: '5000' }] },
    });
    const won = await move(winner.id, { stage: 'won' });
    expect(won.status).toBe(200);
    // Every move is on the timeline and in the outbox.
    const card = await t().request('GET', `/api/crm/clients/${client.id}`, { cookie: t().admin.cookie });
    expect(card.body.timeline.filter((e: { kind: string }) => e.kind === 'stageChange')).toHaveLength(3);
    const events = await sql<{ payload: { from: string; to: string } }>`
      select payload from core_events where type = 'crm.deal.stageChanged' and aggregate_id = ${deal.id} order by id`.execute(
      t().db,
    );
    expect(events.rows.map((e) => `${e.payload.from}>${e.payload.to}`)).toEqual([
      'new>proposal',
      'proposal>lost',
    ]);
  });

  it('moves through crm.moveDealStage for processes, with the same rules', async () => {
    const client = await makeClient(t());
    const deal = await makeDeal(t(), { clientId: client.id });
    const { SYSTEM_ACTOR } = await import('../../server/core/module.js');
    await expect(
      t().suite.registry.call(
        'crm.moveDealStage',
        { dealId: deal.id, stage: 'lost' },
        { actor: SYSTEM_ACTOR },
      ),
    ).rejects.toMatchObject({ code: 'DEAL_STAGE_INVALID', status: 422 });
    const moved = await t().suite.registry.call<{ stage: string }>(
      'crm.moveDealStage',
      { dealId: deal.id, stage: 'qualified' },
      { actor: SYSTEM_ACTOR },
    );
    expect(moved.stage).toBe('qualified');
  });

  it('totals the board per column and currency, filtered by owner; managers see only their deals', async () => {
    const { a, b, head } = await salesTeam(t());
    const clientA = await makeClient(t(), {}, a.cookie);
    const clientB = await makeClient(t(), {}, b.cookie);
    await makeDeal(t(), { clientId: clientA.id, amount: '1000000.50' }, a.cookie);
    await makeDeal(t(), { clientId: clientA.id, amount: '2000000', currency: 'UZS' }, a.cookie);
    await makeDeal(t(), { clientId: clientA.id, amount: '150.25', currency: 'USD' }, a.cookie);
    const dealB = await makeDeal(t(), { clientId: clientB.id, amount: '7' }, b.cookie);
    const board = await t().request('GET', `/api/crm/deals/board?ownerId=${a.id}`, { cookie: head.cookie });
    expect(board.status).toBe(200);
    const fresh = board.body.columns.find((c: { stage: string }) => c.stage === 'new');
    expect(fresh).toMatchObject({ count: 3, totalAmount: { UZS: '3000000.50', USD: '150.25' } });
    expect(board.body.columns.map((c: { stage: string }) => c.stage)).toHaveLength(6);
    const boardA = await t().request('GET', '/api/crm/deals/board', { cookie: a.cookie });
    expect(boardA.body.columns[0].count).toBe(3);
    expect((await t().request('GET', `/api/crm/deals/${dealB.id}`, { cookie: a.cookie })).status).toBe(404);
    const moveOthers = await t().request('POST', `/api/crm/deals/${dealB.id}/stage`, {
      cookie: a.cookie,
      body: { stage: 'qualified' },
    });
    expect(moveOthers.status).toBe(404);
    const onOthersClient = await t().request('POST', '/api/crm/deals', {
      cookie: a.cookie,
      body: { clientId: clientB.id, title: 'X' },
    });
    expect(onOthersClient.status).toBe(400);
    const list = await t().request('GET', '/api/crm/deals?sort=amount', { cookie: a.cookie });
    expect(list.body.total).toBe(3);
  });

  it('lets the sales head add a pipeline and edit stages, but not remove one in use', async () => {
    const { a, head } = await salesTeam(t());
    const stages = [
      { code: 'new', name: 'Yangi', probability: 10 },
      { code: 'demo', name: 'Namoyish', probability: 40 },
      { code: 'won', name: 'Yutilgan', probability: 100, kind: 'won' },
      { code: 'lost', name: 'Yutqazilgan', probability: 0, kind: 'lost' },
    ];
    expect(
      (await t().request('POST', '/api/crm/pipelines', { cookie: a.cookie, body: { name: 'X', stages } }))
        .status,
    ).toBe(403);
    const created = await t().request('POST', '/api/crm/pipelines', {
      cookie: head.cookie,
      body: { name: 'Ulgurji', stages },
    });
    expect(created.status).toBe(201);
    const client = await makeClient(t(), {}, head.cookie);
    const deal = await makeDeal(t(), { clientId: client.id, pipelineId: created.body.id }, head.cookie);
    await t().request('POST', `/api/crm/deals/${deal.id}/stage`, {
      cookie: head.cookie,
      body: { stage: 'demo' },
    });
    const removing = await t().request('PATCH', `/api/crm/pipelines/${created.body.id}`, {
      cookie: head.cookie,
      body: { stages: stages.filter((s) => s.code !== 'demo') },
    });
    expect(removing.status).toBe(409);
    expect(removing.body.error.code).toBe('STAGE_IN_USE');
    const renamed = await t().request('PATCH', `/api/crm/pipelines/${created.body.id}`, {
      cookie: head.cookie,
      body: { stages: stages.map((s) => (s.code === 'demo' ? { ...s, name: 'Demo', probability: 45 } : s)) },
    });
    expect(renamed.status).toBe(200);
    expect(
      (await t().request('GET', `/api/crm/deals/${deal.id}`, { cookie: head.cookie })).body.probability,
    ).toBe(45);
    const noWon = await t().request('POST', '/api/crm/pipelines', {
      cookie: head.cookie,
      body: { name: 'Y', stages: stages.filter((s) => s.code !== 'won') },
    });
    expect(noWon.status).toBe(400);
  });
});
