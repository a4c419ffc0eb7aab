// Merging duplicates: contacts, deals and activities move; the other is gone; the audit log keeps it.
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { makeClient, makeDeal, salesTeam } from './test-helpers.js';

describeEachBackend('crm merge', (t) => {
  it('moves contacts, deals and activities into the surviving client and deletes the other', async () => {
    const keep = await makeClient(t(), { name: 'Buxoro Oltin Gilam', phones: ['901000001'] });
    const other = await makeClient(t(), {
      name: 'Buxoro Oltin Gilam MChJ',
      phones: ['901000002'],
      emails: ['gilam@bux.uz'],
      region: 'BU',
    });
    await t().request('POST', `/api/crm/clients/${other.id}/contacts`, {
      cookie: t().admin.cookie,
      body: { name: 'Nodir' },
    });
    const deal = await makeDeal(t(), { clientId: other.id });
    const activity = await t().request('POST', '/api/crm/activities', {
      cookie: t().admin.cookie,
      body: { type: 'task', subject: 'Shartnoma', clientId: other.id },
    });
    const merged = await t().request('POST', `/api/crm/clients/${keep.id}/merge`, {
      cookie: t().admin.cookie,
      body: { otherId: other.id },
    });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body).toMatchObject({
      id: keep.id,
      phones: ['+998901000001', '+998901000002'],
      emails: ['gilam@bux.uz'],
      region: 'BU',
    });
    const card = await t().request('GET', `/api/crm/clients/${keep.id}`, { cookie: t().admin.cookie });
    expect(card.body.contacts.map((c: { name: string }) => c.name)).toEqual(['Nodir']);
    expect(card.body.deals.map((d: { id: string }) => d.id)).toEqual([deal.id]);
    expect(card.body.timeline[0]).toMatchObject({ kind: 'merged', title: other.name });
    const moved = await t().request('GET', `/api/crm/activities?clientId=${keep.id}`, {
      cookie: t().admin.cookie,
    });
    expect(moved.body.items.map((a: { id: string }) => a.id)).toEqual([activity.body.id]);
    expect(
      (await t().request('GET', `/api/crm/clients/${other.id}`, { cookie: t().admin.cookie })).status,
    ).toBe(404);
    const audit = await t().request('GET', `/api/admin/audit?action=crm.mergeClients`, {
      cookie: t().admin.cookie,
    });
    expect(audit.body.items.map((e: { entityId: string }) => e.entityId).sort()).toEqual(
      [keep.id, other.id].sort(),
    );
    const self = await t().request('POST', `/api/crm/clients/${keep.id}/merge`, {
      cookie: t().admin.cookie,
      body: { otherId: keep.id },
    });
    expect(self.status).toBe(400);
  });

  it('does not let a manager merge in a client they cannot see', async () => {
    const { a, b } = await salesTeam(t());
    const mine = await makeClient(t(), {}, a.cookie);
    const theirs = await makeClient(t(), {}, b.cookie);
    const response = await t().request('POST', `/api/crm/clients/${mine.id}/merge`, {
      cookie: a.cookie,
      body: { otherId: theirs.id },
    });
    expect(response.status).toBe(404);
  });
});
