// The shipped "Lead intake": a lead from the public web form becomes a CRM lead owned, in turn,
// by a sales manager, who must call within one working day or the sales head hears of it.
import { expect, it } from 'vitest';
import { runDueJobs } from '../modules/bpm/jobs.js';
import { MIN_FILL_MS } from '../modules/intake/web-form.js';
import { describeEachBackend, type TestSuite } from '../server/testing/test-suite.js';
import { complete, inbox, installWorkflows, taskNamed, taskView } from './test-helpers.js';

const DAY = 24 * 3600 * 1000;
let address = 0;

async function submit(t: TestSuite, body: Record<string, unknown>) {
  const response = await t.suite.app.inject({
    method: 'POST',
    url: '/api/intake/lead-form',
    payload: { elapsedMs: MIN_FILL_MS + 10_000, ...body },
    remoteAddress: `192.0.2.${++address}`,
  });
  expect(response.statusCode, response.body).toBe(201);
}

describeEachBackend('shipped workflow: lead intake', (t) => {
  it('a web-form lead lands in CRM with an owner in turn and a first-contact task; the call is recorded', async () => {
    await installWorkflows(t());
    const a = await t().createUser(['sales_manager'], { name: 'Malika Yusupova', locale: 'en' });
    const b = await t().createUser(['sales_manager'], { name: 'Jasur Rahimov', locale: 'en' });
    // The visitor came by the link of a Telegram campaign; the lead is counted for it.
    const campaign = await t().request('POST', '/api/crm/campaigns', {
      cookie: t().admin.cookie,
      body: { code: `telegram-${address}-${Date.now()}`, name: 'Telegram kanal', channel: 'messenger' },
    });
    expect(campaign.status, JSON.stringify(campaign.body)).toBe(201);
    await submit(t(), {
      campaign: campaign.body.code.toUpperCase(),
      name: 'Ravshan Qosimov',
      company: 'Buxoro Tekstil MChJ',
      phone: '+998 91 402 17 33',
      region: 'BU',
      message: 'Narxlar',
    });
    await submit(t(), {
      name: 'Zarina Xolmatova',
      phone: '+998 93 511 08 44',
      region: 'XX',
      message: 'Yetkazib berish?',
    });

    // two leads, two different owners (whoever waited longest gets the next one)
    const [first] = await Promise.all([taskNamed(t(), a, 'First contact with the lead').catch(() => null)]);
    const tasksA = await inbox(t(), a);
    const tasksB = await inbox(t(), b);
    expect(tasksA.filter((x) => x.name === 'First contact with the lead')).toHaveLength(1);
    expect(tasksB.filter((x) => x.name === 'First contact with the lead')).toHaveLength(1);
    expect(first).not.toBeNull();

    const task = tasksA[0];
    if (!task) throw new Error('no task');
    const view = await taskView(t(), a, task.id);
    const clientId = String(view.variables.clientId);
    const client = await t().request('GET', `/api/crm/clients/${clientId}`, { cookie: a.cookie });
    expect(client.status, 'the owner sees the lead as theirs').toBe(200);
    expect(client.body.client).toMatchObject({ status: 'lead', source: 'Veb-sayt', ownerId: a.id });
    // Of the two leads, the one that came by the campaign's link is counted for it.
    const brought = await t().request('GET', `/api/crm/clients?campaignId=${campaign.body.id}`, {
      cookie: t().admin.cookie,
    });
    expect(brought.body.items.map((c: { name: string }) => c.name)).toEqual(['Buxoro Tekstil MChJ']);
    // due within one working day
    expect(Date.parse(view.dueAt ?? '')).toBeLessThanOrEqual(Date.now() + 3 * DAY + 60_000);

    await complete(t(), a, task.id, { result: 'interested', notes: 'Ertaga uchrashuv' });
    const card = await t().request('GET', `/api/crm/clients/${clientId}`, { cookie: a.cookie });
    expect(JSON.stringify(card.body.timeline)).toContain('Birinchi aloqa — bogʻlanildi: qiziqdi');
  });

  it('a lead nobody called in a working day goes to the sales head, and stays with its owner', async () => {
    await installWorkflows(t());
    const head = await t().createUser(['sales_head'], { name: 'Dilshod Karimov', locale: 'en' });
    await t().createUser(['sales_manager'], { name: 'Nodira Alimova', locale: 'en' });
    await submit(t(), { name: 'Oybek Jurayev', email: 'oybek@fargona-qurilish.uz', region: 'FA' });
    const before = await inbox(t(), head);
    expect(before.filter((x) => x.name === 'Lead not contacted in time')).toEqual([]);
    await runDueJobs(t().suite.registry, { now: new Date(Date.now() + 4 * DAY) });
    await taskNamed(t(), head, 'Lead not contacted in time');
    const escalations = (await inbox(t(), head)).filter((x) => x.name === 'Lead not contacted in time');
    const views = await Promise.all(escalations.map((x) => taskView(t(), head, x.id)));
    expect(views.map((v) => v.variables)).toContainEqual(
      expect.objectContaining({
        name: 'Oybek Jurayev',
        email: 'oybek@fargona-qurilish.uz',
        ownerName: 'Nodira Alimova',
      }),
    );
  });
});
