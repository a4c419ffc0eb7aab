// The shipped "Complaint escalation": a complaint still new or in progress at its due time goes
// to the sales head, whose instruction lands in the request's history and may make it urgent;
// one answered in time, or whose due time was moved, troubles nobody.
import { expect, it } from 'vitest';
import { runDueJobs } from '../modules/bpm/jobs.js';
import { makeClient, salesTeam } from '../modules/crm/test-helpers.js';
import type { TicketDetail } from '../modules/crm/ticket-schema.js';
import { describeEachBackend } from '../server/testing/test-suite.js';
import { complete, inbox, installWorkflows, instanceOf, taskNamed, taskView } from './test-helpers.js';

const HOUR = 3_600_000;
// The sales team reads Uzbek: the task's name in their language.
const TASK = 'Shikoyat oʻz vaqtida hal qilinmadi';

describeEachBackend('shipped workflow: complaint escalation', (t) => {
  async function complaint(body: Record<string, unknown> = {}) {
    await installWorkflows(t());
    const team = await salesTeam(t());
    const client = await makeClient(t(), {}, team.a.cookie);
    const made = await t().request<TicketDetail>('POST', '/api/crm/tickets', {
      cookie: team.a.cookie,
      body: {
        clientId: client.id,
        kind: 'complaint',
        subject: 'Buyurtma ikki kun kechikdi',
        // Already due: the timer fires on the next run of the jobs.
        dueAt: new Date(Date.now() - 60_000).toISOString(),
        ...body,
      },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    // The outbox delivers crm.ticket.created: the process starts and waits for the due time.
    await t().suite.dispatcher.drain();
    return { ...team, client, ticket: made.body };
  }

  /** The escalation instance that watches a request. */
  async function instanceFor(ticketId: string) {
    const list = await t().request('GET', '/api/bpm/instances?processId=complaint-escalation&limit=500', {
      cookie: t().admin.cookie,
    });
    for (const item of list.body.items as { id: string }[]) {
      const instance = await instanceOf(t(), item.id);
      if (instance.variables.ticketId === ticketId) return instance;
    }
    throw new Error(`no escalation for ${ticketId}`);
  }

  const read = async (id: string, cookie: string) =>
    (await t().request<TicketDetail>('GET', `/api/crm/tickets/${id}`, { cookie })).body;

  it('a complaint unanswered at its due time goes to the sales head; the instruction and urgency reach the request', async () => {
    const { a, head, client, ticket } = await complaint();
    await runDueJobs(t().suite.registry);
    const task = await taskNamed(t(), head, TASK);
    const view = await taskView(t(), head, task.id);
    expect(view.form?.id).toBe('complaint-escalation');
    expect(view.variables).toMatchObject({
      number: ticket.number,
      clientName: client.name,
      assigneeName: 'Malika Yusupova',
      status: 'new',
    });
    await complete(t(), head, task.id, {
      decision: 'urgent',
      instruction: 'Bugun mijozga qoʻngʻiroq qiling',
    });
    expect((await instanceOf(t(), task.processInstanceId)).state).toBe('completed');
    const after = await read(ticket.id, a.cookie);
    expect(after.priority).toBe('urgent');
    expect(Date.parse(after.dueAt)).toBeGreaterThan(Date.now() + 3 * HOUR);
    expect(after.overdue).toBe(false);
    expect(after.history.find((h) => h.kind === 'comment')?.text).toBe(
      'Rahbar koʻrsatmasi: Bugun mijozga qoʻngʻiroq qiling',
    );
  });

  it('a complaint resolved in time, or one that is not a complaint, asks nothing of anyone', async () => {
    const { a, head, ticket } = await complaint();
    const question = await t().request<TicketDetail>('POST', '/api/crm/tickets', {
      cookie: a.cookie,
      body: {
        clientId: ticket.clientId,
        kind: 'question',
        subject: 'Narxlar',
        dueAt: new Date(Date.now() - 60_000).toISOString(),
      },
    });
    expect(question.status).toBe(201);
    const resolved = await t().request('POST', `/api/crm/tickets/${ticket.id}/status`, {
      cookie: a.cookie,
      body: { status: 'resolved', resolution: 'Chegirma berildi' },
    });
    expect(resolved.status).toBe(200);
    await t().suite.dispatcher.drain();
    await runDueJobs(t().suite.registry);
    const instance = await instanceFor(ticket.id);
    expect(instance.state).toBe('completed');
    expect(instance.history.map((h) => h.elementId)).toContain('inTime');
    await expect(instanceFor(question.body.id)).rejects.toThrow();
    expect((await inbox(t(), head)).filter((x) => x.name === TASK)).toEqual([]);
  });

  it('waits for a due time moved later, and a closed request only gets the instruction', async () => {
    const { a, head, ticket } = await complaint();
    const moved = await t().request('PATCH', `/api/crm/tickets/${ticket.id}`, {
      cookie: a.cookie,
      body: { dueAt: new Date(Date.now() + 24 * HOUR).toISOString() },
    });
    expect(moved.status).toBe(200);
    await runDueJobs(t().suite.registry);
    const waiting = await instanceFor(ticket.id);
    expect(waiting.state).toBe('active');
    expect((await inbox(t(), head)).filter((x) => x.name === TASK)).toEqual([]);

    // Another complaint escalates; meanwhile it is resolved and closed.
    const other = await complaint();
    await runDueJobs(t().suite.registry);
    const task = await taskNamed(t(), other.head, TASK);
    for (const body of [{ status: 'resolved', resolution: 'Almashtirildi' }, { status: 'closed' }]) {
      const moveResult = await t().request('POST', `/api/crm/tickets/${other.ticket.id}/status`, {
        cookie: other.a.cookie,
        body,
      });
      expect(moveResult.status).toBe(200);
    }
    await complete(t(), other.head, task.id, { decision: 'urgent', instruction: 'Keyingi safar tezroq' });
    const done = await instanceOf(t(), task.processInstanceId);
    expect(done.state).toBe('completed');
    expect(done.incidents).toEqual([]);
    const closed = await read(other.ticket.id, other.a.cookie);
    expect(closed).toMatchObject({ status: 'closed', priority: 'normal' });
    expect(closed.history.at(-1)).toMatchObject({
      kind: 'comment',
      text: 'Rahbar koʻrsatmasi: Keyingi safar tezroq',
    });
  });
});
