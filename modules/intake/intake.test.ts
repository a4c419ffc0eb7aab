// The public lead form (no sign-in, rate limit, bot guard) and the round-robin turns.
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../server/core/module.js';
import { describeEachBackend, type TestSuite } from '../../server/testing/test-suite.js';
import { MIN_FILL_MS, RATE_LIMIT } from './web-form.js';

let address = 0;
/** A fresh client address per test, so the rate limit of one test never touches another. */
const nextIp = () => `10.${process.pid % 250}.${Math.floor(++address / 250)}.${address % 250}`;

async function submit(t: TestSuite, body: Record<string, unknown>, ip: string) {
  const response = await t.suite.app.inject({
    method: 'POST',
    url: '/api/intake/lead-form',
    payload: { elapsedMs: MIN_FILL_MS + 5000, ...body },
    remoteAddress: ip,
  });
  return { status: response.statusCode, body: JSON.parse(response.body) };
}

describeEachBackend('intake: the public lead form', (t) => {
  it('takes a lead without signing in, keeps it and announces it for the lead process', async () => {
    const ip = nextIp();
    const sent = await submit(
      t(),
      {
        name: 'Aziz Karimov',
        company: 'Samarqand Non MChJ',
        phone: '+998 90 123 45 67',
        region: 'samarqand',
        message: 'Narx kerak',
      },
      ip,
    );
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const event = await sql<{ payload: Record<string, unknown> }>`select payload from core_events
      where type = 'intake.lead.received' and aggregate_id = ${sent.body.id}`.execute(t().db);
    expect(event.rows[0]?.payload).toMatchObject({
      submissionId: sent.body.id,
      name: 'Aziz Karimov',
      company: 'Samarqand Non MChJ',
      phone: '+998 90 123 45 67',
      region: 'samarqand',
    });
    const head = await t().createUser(['sales_head']);
    const list = await t().request('GET', '/api/intake/submissions', { cookie: head.cookie });
    expect(list.status).toBe(200);
    expect(list.body.items.map((s: { id: string }) => s.id)).toContain(sent.body.id);
  });

  it('refuses a form without a way to reach the person, or without a name, and keeps nothing', async () => {
    const ip = nextIp();
    const noContact = await submit(t(), { name: 'Aziz' }, ip);
    expect(noContact.status).toBe(422);
    expect(noContact.body.error.code).toBe('INTAKE_CONTACT_REQUIRED');
    const noName = await submit(t(), { name: ' ', email: 'aziz@example.uz' }, ip);
    expect(noName.status).toBe(400);
    expect(noName.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['name']);
    const badMail = await submit(t(), { name: 'Aziz', email: 'not-a-mail' }, ip);
    expect(badMail.status).toBe(400);
    const kept = await sql<{
      n: number;
    }>`select count(*)::int as n from intake_submissions where ip = ${ip}`.execute(t().db);
    expect(kept.rows[0]?.n).toBe(0);
  });

  it('refuses what a bot sends: the hidden field filled in, or a form sent too fast', async () => {
    const ip = nextIp();
    const trap = await submit(
      t(),
      { name: 'Bot', email: 'bot@example.com', website: 'http://spam.example' },
      ip,
    );
    expect(trap.status).toBe(422);
    expect(trap.body.error.code).toBe('INTAKE_SPAM_SUSPECTED');
    const fast = await submit(t(), { name: 'Bot', email: 'bot@example.com', elapsedMs: 200 }, ip);
    expect(fast.status).toBe(422);
    const person = await submit(t(), { name: 'Nodira', email: 'nodira@example.uz' }, ip);
    expect(person.status).toBe(201);
  });

  it('asks one address to wait after a burst, and tells it how long; others are not affected', async () => {
    const ip = nextIp();
    for (let i = 0; i < RATE_LIMIT.count; i++) {
      expect((await submit(t(), { name: `Mijoz ${i}`, phone: `90${i}1234567` }, ip)).status).toBe(201);
    }
    const refused = await submit(t(), { name: 'Mijoz 6', phone: '901234567' }, ip);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(refused.body.error.details.retryAfterSeconds).toBeGreaterThan(0);
    expect((await submit(t(), { name: 'Boshqa', phone: '907654321' }, nextIp())).status).toBe(201);
  });

  it('lets only the sales head read the submissions', async () => {
    const manager = await t().createUser(['sales_manager']);
    expect((await t().request('GET', '/api/intake/submissions', { cookie: manager.cookie })).status).toBe(
      403,
    );
    expect((await t().request('GET', '/api/intake/submissions')).status).toBe(401);
  });
});

describeEachBackend('intake: leads in turn', (t) => {
  const pick = (pool: string, candidates: { userId: string; email: string }[]) =>
    t().suite.registry.call('intake.pickInTurn', { pool, candidates }, { actor: SYSTEM_ACTOR }) as Promise<{
      email: string;
      picks: number;
    }>;

  it('hands leads to each person of a pool in turn, newcomers first', async () => {
    const pool = `team-${nextIp()}`;
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => t().createUser(['sales_manager'])));
    if (!a || !b || !c) throw new Error('users');
    const people = [a, b].map((u) => ({ userId: u.id, email: u.email }));
    expect((await pick(pool, people)).email).toBe(a.email);
    expect((await pick(pool, people)).email).toBe(b.email);
    expect((await pick(pool, people)).email).toBe(a.email);
    // someone joins the team: they get the next lead
    const grown = [...people, { userId: c.id, email: c.email }];
    expect((await pick(pool, grown)).email).toBe(c.email);
    expect((await pick(pool, grown)).email).toBe(b.email);
  });

  it('spreads concurrent leads evenly', async () => {
    const pool = `burst-${nextIp()}`;
    const users = await Promise.all([1, 2, 3].map(() => t().createUser(['sales_manager'])));
    const people = users.map((u) => ({ userId: u.id, email: u.email }));
    const picks = await Promise.all(Array.from({ length: 9 }, () => pick(pool, people)));
    const counts = new Map<string, number>();
    for (const p of picks) counts.set(p.email, (counts.get(p.email) ?? 0) + 1);
    expect([...counts.values()]).toEqual([3, 3, 3]);
  });

  it('refuses an empty pool, and a sales manager cannot pick the next lead for themselves', async () => {
    await expect(pick('empty', [])).rejects.toMatchObject({ code: 'INTAKE_NO_CANDIDATES' });
    const manager = await t().createUser(['sales_manager']);
    const actor = {
      kind: 'user' as const,
      id: manager.id,
      email: manager.email,
      name: 'Malika',
      locale: 'uz' as const,
      roles: ['sales_manager'],
      permissions: new Set<string>(['crm.clients.read']),
    };
    await expect(
      t().suite.registry.call(
        'intake.pickInTurn',
        { pool: 'mine', candidates: [{ userId: manager.id, email: manager.email }] },
        { actor },
      ),
    ).rejects.toMatchObject({ status: 403 });
  });
});
