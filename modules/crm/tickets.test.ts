// Service requests: opening one (numbers, the owner as assignee, due by priority), the status
// moves and their rules, comments and history, who sees which request, stale revisions,
// concurrent writers, the client's timeline, events and a merge that keeps the requests.
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { issuePaths, makeClient, makeDeal, salesTeam } from './test-helpers.js';
import type { TicketDetail } from './ticket-schema.js';

const HOUR = 3_600_000;

describeEachBackend('crm service requests', (t) => {
  async function world() {
    const team = await salesTeam(t());
    const client = await makeClient(t(), {}, team.a.cookie);
    const open = async (body: Record<string, unknown> = {}, cookie = team.a.cookie) => {
      const made = await t().request<TicketDetail>('POST', '/api/crm/tickets', {
        cookie,
        body: { clientId: client.id, subject: 'Sement qoplari yirtilgan keldi', ...body },
      });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      return made.body;
    };
    const move = (id: string, body: Record<string, unknown>, cookie = team.a.cookie) =>
      t().request<TicketDetail>('POST', `/api/crm/tickets/${id}/status`, { cookie, body });
    return { ...team, client, open, move };
  }

  it('opens a numbered request assigned to the client owner, due by its priority, on the timeline', async () => {
    const { head, a, client, open } = await world();
    const before = Date.now();
    const first = await open({ priority: 'urgent', kind: 'complaint', channel: 'visit' }, head.cookie);
    const second = await open({}, head.cookie);
    expect(first.number).toMatch(/^SR-\d{6}$/);
    expect(Number(second.number.slice(3))).toBeGreaterThan(Number(first.number.slice(3)));
    expect(first).toMatchObject({
      status: 'new',
      kind: 'complaint',
      channel: 'visit',
      priority: 'urgent',
      clientId: client.id,
      clientName: client.name,
      // The head opened it, but the client's manager answers for it.
      assigneeId: a.id,
      assigneeName: 'Malika Yusupova',
      overdue: false,
      respondedAt: null,
      createdByName: 'Dilshod Karimov',
      revision: 1,
    });
    const due = Date.parse(first.dueAt) - before;
    expect(due).toBeGreaterThanOrEqual(4 * HOUR - 5_000);
    expect(due).toBeLessThan(4 * HOUR + 60_000);
    expect(Date.parse(second.dueAt) - Date.parse(second.createdAt)).toBe(72 * HOUR);
    expect(second).toMatchObject({ kind: 'request', channel: 'phone', priority: 'normal' });
    expect(first.history).toEqual([
      expect.objectContaining({ kind: 'created', to: 'new', actorName: 'Dilshod Karimov' }),
    ]);

    const timeline = await t().request('GET', `/api/crm/clients/${client.id}/timeline`, { cookie: a.cookie });
    const entry = timeline.body.items.find((e: { link: { id: string } | null }) => e.link?.id === first.id);
    expect(entry).toMatchObject({ kind: 'ticket', link: { type: 'ticket', id: first.id } });
    expect(entry.title).toContain(first.number);

    const events = await sql<{ payload: Record<string, unknown> }>`
      select payload from core_events where type = 'crm.ticket.created' and aggregate_id = ${first.id}`.execute(
      t().db,
    );
    expect(events.rows).toEqual([
      {
        payload: expect.objectContaining({
          number: first.number,
          clientId: client.id,
          priority: 'urgent',
          assigneeId: a.id,
        }),
      },
    ]);
  });

  it('refuses bad input with the field and changes nothing', async () => {
    const { a, b, client, open } = await world();
    const other = await makeClient(t(), {}, a.cookie);
    const otherDeal = await makeDeal(t(), { clientId: other.id }, a.cookie);
    const contact = await t().request('POST', `/api/crm/clients/${other.id}/contacts`, {
      cookie: a.cookie,
      body: { name: 'Aziza Karimova' },
    });
    expect(contact.status).toBe(201);
    const count = async () =>
      (await t().request('GET', `/api/crm/tickets?clientId=${client.id}&limit=1`, { cookie: a.cookie })).body
        .total;
    const cases: [Record<string, unknown>, string][] = [
      [{ subject: '  ' }, 'subject'],
      [{ priority: 'asap' }, 'priority'],
      [{ kind: 'praise' }, 'kind'],
      [{ dueAt: 'tomorrow' }, 'dueAt'],
      [{ dealId: otherDeal.id }, 'dealId'],
      [{ contactId: contact.body.id }, 'contactId'],
      [{ assigneeId: '00000000-0000-0000-0000-000000000001' }, 'assigneeId'],
    ];
    for (const [body, field] of cases) {
      const refused = await t().request('POST', '/api/crm/tickets', {
        cookie: a.cookie,
        body: { clientId: client.id, subject: 'Hisob-faktura xato', ...body },
      });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(issuePaths(refused.body)).toContain(field);
    }
    // Another manager's client is not disclosed: "no such client" on the field.
    const notMine = await t().request('POST', '/api/crm/tickets', {
      cookie: b.cookie,
      body: { clientId: client.id, subject: 'Savol' },
    });
    expect(notMine.status).toBe(400);
    expect(issuePaths(notMine.body)).toEqual(['clientId']);
    expect(await count()).toBe(0);

    const ticket = await open();
    const badRating = await t().request('POST', `/api/crm/tickets/${ticket.id}/status`, {
      cookie: a.cookie,
      body: { status: 'inProgress', rating: 5 },
    });
    expect(badRating.status).toBe(400);
    expect(issuePaths(badRating.body)).toEqual(['rating']);
    const outOfRange = await t().request('POST', `/api/crm/tickets/${ticket.id}/status`, {
      cookie: a.cookie,
      body: { status: 'resolved', resolution: 'Almashtirildi', rating: 6 },
    });
    expect(outOfRange.status).toBe(400);
    const reread = await t().request('GET', `/api/crm/tickets/${ticket.id}`, { cookie: a.cookie });
    expect(reread.body).toMatchObject({ status: 'new', revision: 1, rating: null });
    expect(reread.body.history).toHaveLength(1);
  });

  it('moves through its statuses by the rules, resolving with a resolution, closing for good', async () => {
    const { a, client, open, move } = await world();
    const ticket = await open();
    const noResolution = await move(ticket.id, { status: 'resolved' });
    expect(noResolution.status).toBe(400);
    expect(issuePaths(noResolution.body as never)).toEqual(['resolution']);
    expect((await move(ticket.id, { status: 'closed' })).status).toBe(422);

    const taken = await move(ticket.id, { status: 'inProgress' });
    expect(taken.status).toBe(200);
    expect(taken.body.respondedAt).not.toBeNull();
    const waiting = await move(ticket.id, { status: 'waiting', revision: taken.body.revision });
    expect(waiting.body.status).toBe('waiting');
    const resolved = await move(ticket.id, {
      status: 'resolved',
      resolution: 'Yangi qoplar joʻnatildi',
      rating: 4,
    });
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      resolution: 'Yangi qoplar joʻnatildi',
      rating: 4,
    });
    expect(resolved.body.resolvedAt).not.toBeNull();
    // The client says it is not solved: back in progress, the old resolution kept in the history.
    const reopened = await move(ticket.id, { status: 'inProgress' });
    expect(reopened.body).toMatchObject({
      status: 'inProgress',
      resolution: null,
      resolvedAt: null,
      rating: null,
    });
    await move(ticket.id, { status: 'resolved', resolution: 'Pul qaytarildi' });
    const closed = await move(ticket.id, { status: 'closed', rating: 5 });
    expect(closed.body).toMatchObject({ status: 'closed', rating: 5, resolution: 'Pul qaytarildi' });
    expect(closed.body.closedAt).not.toBeNull();
    expect(closed.body.history.map((h) => (h.kind === 'status' ? `${h.from}>${h.to}` : h.kind))).toEqual([
      'created',
      'new>inProgress',
      'inProgress>waiting',
      'waiting>resolved',
      'resolved>inProgress',
      'inProgress>resolved',
      'resolved>closed',
    ]);
    expect(closed.body.history[3]?.text).toBe('Yangi qoplar joʻnatildi');

    const again = await move(ticket.id, { status: 'inProgress' });
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({
      error: { code: 'TICKET_STATUS_INVALID', details: { from: 'closed', to: 'inProgress' } },
    });
    const edit = await t().request('PATCH', `/api/crm/tickets/${ticket.id}`, {
      cookie: a.cookie,
      body: { subject: 'Boshqa' },
    });
    expect(edit.status).toBe(422);
    expect(edit.body.error.code).toBe('TICKET_CLOSED');
    expect(edit.body.error.message).toContain(ticket.number);
    // A comment is still history worth keeping.
    const comment = await t().request('POST', `/api/crm/tickets/${ticket.id}/comments`, {
      cookie: a.cookie,
      body: { text: 'Mijoz minnatdorchilik bildirdi' },
    });
    expect(comment.status).toBe(201);

    const timeline = await t().request('GET', `/api/crm/clients/${client.id}/timeline?limit=20`, {
      cookie: a.cookie,
    });
    const titles = timeline.body.items
      .filter((e: { kind: string }) => e.kind === 'ticket')
      .map((e: { title: string }) => e.title);
    expect(titles).toEqual([
      // In the reader's language (Uzbek here).
      expect.stringMatching(/^SR-\d{6} murojaat yopildi: /),
      expect.stringMatching(/murojaat hal qilindi/),
      expect.stringMatching(/murojaat qayta ishga olindi/),
      expect.stringMatching(/murojaat hal qilindi/),
      expect.stringMatching(/murojaat ochildi/),
    ]);
    const changes = await sql<{ payload: { from: string; to: string } }>`
      select payload from core_events where type = 'crm.ticket.statusChanged' and aggregate_id = ${ticket.id}
      order by id`.execute(t().db);
    expect(changes.rows.map((r) => `${r.payload.from}>${r.payload.to}`)).toHaveLength(6);
  });

  it('keeps a history of changes; a new priority sets its due time; a stale revision is refused', async () => {
    const { a, b, open } = await world();
    const ticket = await open();
    const changed = await t().request<TicketDetail>('PATCH', `/api/crm/tickets/${ticket.id}`, {
      cookie: a.cookie,
      body: { revision: 1, priority: 'high', assigneeId: b.id, subject: 'Qoplar yirtilgan (12 dona)' },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({ priority: 'high', assigneeName: 'Jasur Rahimov', revision: 2 });
    expect(Date.parse(changed.body.dueAt) - Date.parse(changed.body.createdAt)).toBe(24 * HOUR);
    expect(changed.body.history.map((h) => [h.kind, h.from, h.to])).toEqual([
      ['created', null, 'new'],
      ['assigned', 'Malika Yusupova', 'Jasur Rahimov'],
      ['priority', 'normal', 'high'],
      ['due', ticket.dueAt, changed.body.dueAt],
      ['edited', null, 'subject'],
    ]);
    const stale = await t().request('PATCH', `/api/crm/tickets/${ticket.id}`, {
      cookie: a.cookie,
      body: { revision: 1, description: 'Eski koʻrinish' },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'TICKET_CHANGED', details: { revision: 2 } });
    const staleMove = await t().request('POST', `/api/crm/tickets/${ticket.id}/status`, {
      cookie: a.cookie,
      body: { status: 'inProgress', revision: 1 },
    });
    expect(staleMove.status).toBe(409);
    // The same values again change nothing, not even the revision.
    const same = await t().request('PATCH', `/api/crm/tickets/${ticket.id}`, {
      cookie: a.cookie,
      body: { priority: 'high', subject: 'Qoplar yirtilgan (12 dona)' },
    });
    expect(same.body).toMatchObject({ revision: 2 });
    expect(same.body.history).toHaveLength(5);
  });

  it('shows a manager the requests assigned to them or on their clients, and lists and filters', async () => {
    const { a, b, head, client, open, move } = await world();
    const late = await open({ dueAt: new Date(Date.now() - HOUR).toISOString(), priority: 'urgent' });
    const other = await open({ assigneeId: b.id, subject: 'Toʻlov hujjati kerak' });
    const bClient = await makeClient(t(), {}, b.cookie);
    const bOwn = await open({ clientId: bClient.id, subject: 'Yetkazib berish vaqti' }, b.cookie);
    await move(other.id, { status: 'waiting' }, b.cookie);

    const ids = async (cookie: string, query: string) =>
      (await t().request('GET', `/api/crm/tickets?${query}`, { cookie })).body.items.map(
        (i: { id: string }) => i.id,
      );
    // a owns the client: sees both its requests, not b's own client's.
    expect(new Set(await ids(a.cookie, `limit=500`))).toEqual(new Set([late.id, other.id]));
    // b sees the one assigned to them and their client's.
    expect(new Set(await ids(b.cookie, `limit=500`))).toEqual(new Set([other.id, bOwn.id]));
    expect((await t().request('GET', `/api/crm/tickets/${late.id}`, { cookie: b.cookie })).status).toBe(404);
    expect(
      (
        await t().request('POST', `/api/crm/tickets/${late.id}/comments`, {
          cookie: b.cookie,
          body: { text: 'x' },
        })
      ).status,
    ).toBe(404);

    const scoped = `clientId=${client.id}`;
    expect(await ids(head.cookie, `${scoped}&overdue=true`)).toEqual([late.id]);
    expect(await ids(head.cookie, `${scoped}&status=waiting`)).toEqual([other.id]);
    expect(await ids(head.cookie, `${scoped}&sort=-priority`)).toEqual([late.id, other.id]);
    expect(await ids(head.cookie, `${scoped}&q=${encodeURIComponent('toʻlov')}`)).toEqual([other.id]);
    expect(await ids(head.cookie, `${scoped}&q=${late.number}`)).toEqual([late.id]);
    expect(await ids(head.cookie, `${scoped}&open=false`)).toEqual([]);
    const page = await t().request('GET', `/api/crm/tickets?${scoped}&limit=1&sort=dueAt`, {
      cookie: head.cookie,
    });
    expect(page.body).toMatchObject({ total: 2, items: [{ id: late.id, overdue: true }] });
    const badSort = await t().request('GET', '/api/crm/tickets?sort=subject', { cookie: head.cookie });
    expect(badSort.status).toBe(400);
    // Waiting for the client stops the clock: not overdue even past its due time.
    await t().request('PATCH', `/api/crm/tickets/${other.id}`, {
      cookie: head.cookie,
      body: { dueAt: new Date(Date.now() - HOUR).toISOString() },
    });
    expect(await ids(head.cookie, `${scoped}&overdue=true`)).toEqual([late.id]);
  });

  it('refuses people without the right', async () => {
    const { client } = await world();
    const clerk = await t().createUser(['warehouse']);
    const listed = await t().request('GET', '/api/crm/tickets', { cookie: clerk.cookie });
    expect(listed.status).toBe(403);
    const made = await t().request('POST', '/api/crm/tickets', {
      cookie: clerk.cookie,
      body: { clientId: client.id, subject: 'Savol' },
    });
    expect(made.status).toBe(403);
  });

  it('two people moving one request at once: one move wins, the other is told it changed', async () => {
    const { a, head, open, move } = await world();
    const ticket = await open();
    const [one, two] = await Promise.all([
      move(ticket.id, { status: 'inProgress', revision: 1 }, a.cookie),
      move(ticket.id, { status: 'waiting', revision: 1 }, head.cookie),
    ]);
    expect([one.status, two.status].sort()).toEqual([200, 409]);
    const after = await t().request<TicketDetail>('GET', `/api/crm/tickets/${ticket.id}`, {
      cookie: a.cookie,
    });
    expect(after.body.revision).toBe(2);
    expect(after.body.history.filter((h) => h.kind === 'status')).toHaveLength(1);
    // Comments at once both land; the first answer's time is set once.
    await Promise.all(
      ['Qoʻngʻiroq qilindi', 'Xat yuborildi'].map((text) =>
        t().request('POST', `/api/crm/tickets/${ticket.id}/comments`, { cookie: a.cookie, body: { text } }),
      ),
    );
    const final = await t().request<TicketDetail>('GET', `/api/crm/tickets/${ticket.id}`, {
      cookie: a.cookie,
    });
    expect(final.body.history.filter((h) => h.kind === 'comment')).toHaveLength(2);
    expect(final.body.respondedAt).toBe(after.body.respondedAt);
  });

  it('a merge keeps the merged client’s requests on the kept client', async () => {
    const { head, client, open } = await world();
    const twin = await makeClient(t(), {}, head.cookie);
    const ticket = await open({ clientId: twin.id }, head.cookie);
    const merged = await t().request('POST', `/api/crm/clients/${client.id}/merge`, {
      cookie: head.cookie,
      body: { otherId: twin.id },
    });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const after = await t().request('GET', `/api/crm/tickets/${ticket.id}`, { cookie: head.cookie });
    expect(after.status).toBe(200);
    expect(after.body.clientId).toBe(client.id);
  });
});
