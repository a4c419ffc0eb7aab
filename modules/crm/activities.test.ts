// Activities, my day, reminders and crm.activity.due (emitted once per activity).
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { tashkentDay } from '../../server/core/tashkent-time.js';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { makeClient, makeDeal, salesTeam } from './test-helpers.js';

const HOUR = 3_600_000;

describeEachBackend('crm activities', (t) => {
  it('plans activities on a client and a deal, shows them on the card and in my day', async () => {
    const { a, b } = await salesTeam(t());
    const client = await makeClient(t(), {}, a.cookie);
    const deal = await makeDeal(t(), { clientId: client.id }, a.cookie);
    const now = Date.now();
    const { start, end } = tashkentDay(new Date(now));
    const plan = (body: Record<string, unknown>, cookie = a.cookie) =>
      t().request('POST', '/api/crm/activities', {
        cookie,
        body: { type: 'call', subject: 'Qoʻngʻiroq', ...body },
      });
    const overdue = await plan({
      clientId: client.id,
      dueAt: new Date(start.getTime() - 2 * HOUR).toISOString(),
    });
    expect(overdue.status, JSON.stringify(overdue.body)).toBe(201);
    expect(overdue.body).toMatchObject({ clientName: client.name, assigneeId: a.id, done: false });
    const today = await plan({
      dealId: deal.id,
      type: 'meeting',
      dueAt: new Date(end.getTime() - 1000).toISOString(),
    });
    expect(today.body).toMatchObject({ clientId: client.id, dealTitle: deal.title });
    const upcoming = await plan({
      clientId: client.id,
      type: 'task',
      dueAt: new Date(end.getTime() + 24 * HOUR).toISOString(),
    });
    const note = await plan({ clientId: client.id, type: 'note', subject: 'Narxni soʻradi' });
    expect(note.body.done).toBe(true);

    const day = await t().request('GET', '/api/crm/my-day', { cookie: a.cookie });
    expect(day.body.overdue.map((x: { id: string }) => x.id)).toEqual([overdue.body.id]);
    expect(day.body.today.map((x: { id: string }) => x.id)).toEqual([today.body.id]);
    expect(day.body.upcoming.map((x: { id: string }) => x.id)).toEqual([upcoming.body.id]);
    expect((await t().request('GET', '/api/crm/my-day', { cookie: b.cookie })).body.overdue).toEqual([]);

    const card = await t().request('GET', `/api/crm/clients/${client.id}`, { cookie: a.cookie });
    expect(card.body.client.nextActivity.id).toBe(overdue.body.id);
    expect(card.body.timeline.map((e: { kind: string }) => e.kind)).toEqual([
      'note',
      'activity',
      'activity',
      'activity',
      'created',
    ]);

    const done = await t().request('PATCH', `/api/crm/activities/${overdue.body.id}`, {
      cookie: a.cookie,
      body: { done: true, result: 'Kelishildi' },
    });
    expect(done.body).toMatchObject({ done: true, result: 'Kelishildi' });
    expect(done.body.doneAt).not.toBeNull();
    const open = await t().request('GET', `/api/crm/activities?clientId=${client.id}&done=false`, {
      cookie: a.cookie,
    });
    expect(open.body.total).toBe(2);
    // Another manager neither sees nor changes it, nor plans on the client.
    expect(
      (
        await t().request('PATCH', `/api/crm/activities/${today.body.id}`, {
          cookie: b.cookie,
          body: { done: true },
        })
      ).status,
    ).toBe(404);
    expect((await plan({ clientId: client.id }, b.cookie)).status).toBe(400);
    expect(
      (await t().request('GET', `/api/crm/activities?clientId=${client.id}`, { cookie: b.cookie })).body
        .total,
    ).toBe(0);
  });

  it('answers reminders since a time and emits crm.activity.due once per activity', async () => {
    const { a } = await salesTeam(t());
    const client = await makeClient(t(), {}, a.cookie);
    const since = new Date(Date.now() - HOUR).toISOString();
    const due = await t().request('POST', '/api/crm/activities', {
      cookie: a.cookie,
      body: {
        type: 'call',
        subject: 'Eslatma',
        clientId: client.id,
        dueAt: new Date(Date.now() - 60_000).toISOString(),
      },
    });
    await t().request('POST', '/api/crm/activities', {
      cookie: a.cookie,
      body: {
        type: 'call',
        subject: 'Keyin',
        clientId: client.id,
        dueAt: new Date(Date.now() + HOUR).toISOString(),
      },
    });
    const first = await t().request('GET', `/api/crm/reminders?since=${encodeURIComponent(since)}`, {
      cookie: a.cookie,
    });
    expect(first.status).toBe(200);
    expect(first.body.items.map((x: { id: string }) => x.id)).toEqual([due.body.id]);
    await t().request('GET', `/api/crm/reminders?since=${encodeURIComponent(since)}`, { cookie: a.cookie });
    const events = await sql<{ n: number }>`
      select count(*)::int as n from core_events where type = 'crm.activity.due' and aggregate_id = ${due.body.id}`.execute(
      t().db,
    );
    expect(events.rows[0]!.n).toBe(1);
    const later = await t().request('GET', `/api/crm/reminders?since=${encodeURIComponent(first.body.now)}`, {
      cookie: a.cookie,
    });
    expect(later.body.items).toEqual([]);
  });
});
