// Start events beyond "none": timer starts (date, duration, cycle) scheduled at deploy, timer
// cycles on boundaries, message and signal starts, and module events through the outbox.
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachBackend, type TestSuite } from '../../server/testing/test-suite.js';
import { runDueJobs } from './jobs.js';
import {
  bpmn,
  chain,
  deploy,
  deployOk,
  flow,
  instance,
  pid,
  start,
  tasksOf,
  userTask,
} from './test-helpers.js';

const HOUR = 3_600_000;
const later = (ms: number) => new Date(Date.now() + ms);

async function instancesOf(t: TestSuite, processId: string) {
  const { rows } = await sql<{
    id: string;
    version: number;
    state: string;
    variables: Record<string, unknown>;
  }>`
    select id, version, state, variables from bpm_instances where process_id = ${processId} order by started_at, id`.execute(
    t.db,
  );
  return rows;
}

async function startJobs(t: TestSuite, processId: string) {
  const { rows } = await sql<{ due_at: Date; repeats_left: number; version: number }>`
    select j.due_at, j.repeats_left, d.version from bpm_jobs j join bpm_definitions d on d.id = j.definition_id
    where j.kind = 'start' and d.process_id = ${processId} order by j.due_at`.execute(t.db);
  return rows;
}

const timerStart = (kind: 'timeDate' | 'timeDuration' | 'timeCycle', value: string, id = 'start') =>
  `<bpmn:startEvent id="${id}"><bpmn:timerEventDefinition><bpmn:${kind}>${value}</bpmn:${kind}></bpmn:timerEventDefinition></bpmn:startEvent>`;

const problemsOf = (body: { error: { details: { problems: { elementId: string; message: string }[] } } }) =>
  body.error.details.problems.map((p) => `${p.elementId}: ${p.message}`);

describeEachBackend('bpm engine, start events', (t) => {
  it('timer start with a date: deploying schedules it, it fires once at the date, also when overdue', async () => {
    const id = pid('tdate');
    const at = later(2 * HOUR);
    await deployOk(
      t(),
      bpmn(
        id,
        `${timerStart('timeDate', at.toISOString())}<bpmn:endEvent id="end" />${chain(['start', 'end'])}`,
      ),
    );
    expect(await startJobs(t(), id)).toEqual([{ due_at: at, repeats_left: 0, version: 1 }]);
    await runDueJobs(t().suite.registry, { now: later(HOUR) });
    expect(await instancesOf(t(), id)).toEqual([]);
    // The server was down past the date: the poller's first round fires it.
    await runDueJobs(t().suite.registry, { now: later(5 * HOUR) });
    await runDueJobs(t().suite.registry, { now: later(6 * HOUR) });
    const started = await instancesOf(t(), id);
    expect(started).toHaveLength(1);
    expect(started[0]?.state).toBe('completed');
    expect(await startJobs(t(), id)).toEqual([]);
    // Started by the timer, so it has no none start to start it by hand.
    const byHand = await t().request('POST', '/api/bpm/instances', {
      cookie: t().admin.cookie,
      body: { processId: id },
    });
    expect(byHand.status).toBe(422);
    expect(byHand.body.error.code).toBe('BPM_NO_NONE_START');
  });

  it('timer start with a cycle R3/PT1H fires three times an hour apart, each occurrence scheduling the next', async () => {
    const id = pid('tcycle');
    await deployOk(
      t(),
      bpmn(
        id,
        `${timerStart('timeCycle', 'R3/PT1H')}${userTask('work')}<bpmn:endEvent id="end" />${chain(['start', 'work', 'end'])}`,
      ),
    );
    const [first] = await startJobs(t(), id);
    expect(first?.repeats_left).toBe(2);
    for (const [hours, expected] of [
      [0.5, 0],
      [1.01, 1],
      [1.5, 1],
      [2.01, 2],
      [3.01, 3],
      [10, 3],
    ] as const) {
      await runDueJobs(t().suite.registry, { now: later(hours * HOUR) });
      expect(await instancesOf(t(), id), `after ${hours} h`).toHaveLength(expected);
    }
    expect(await startJobs(t(), id)).toEqual([]);
    const all = await instancesOf(t(), id);
    expect(all.map((i) => i.state)).toEqual(['active', 'active', 'active']);
  });

  it('a cycle with a start date that passed while the server was down fires once, then the next future occurrence', async () => {
    const id = pid('tdaily');
    await deployOk(
      t(),
      bpmn(
        id,
        `${timerStart('timeCycle', 'R/2026-01-01T09:00:00Z/P1D')}<bpmn:endEvent id="end" />${chain(['start', 'end'])}`,
      ),
    );
    await runDueJobs(t().suite.registry);
    expect(await instancesOf(t(), id)).toHaveLength(1);
    const [next] = await startJobs(t(), id);
    expect(next?.repeats_left).toBe(-1);
    const due = next?.due_at.getTime() ?? 0;
    expect(due).toBeGreaterThan(Date.now());
    expect(due - Date.now()).toBeLessThanOrEqual(24 * HOUR);
    expect(new Date(due).toISOString().slice(11)).toBe('09:00:00.000Z');
  });

  it('timer start with a duration and FEEL; a new version replaces the unfired timer starts of the old one', async () => {
    const id = pid('tver');
    const model = (timer: string, end: string) =>
      bpmn(id, `${timer}<bpmn:endEvent id="${end}" />${flow('f1', 'start', end)}`);
    await deployOk(t(), model(timerStart('timeDuration', '="PT" + string(2) + "H"'), 'end1'));
    const v1 = await startJobs(t(), id);
    expect(v1).toHaveLength(1);
    expect(v1[0]?.version).toBe(1);
    expect(Math.abs((v1[0]?.due_at.getTime() ?? 0) - later(2 * HOUR).getTime())).toBeLessThan(60_000);
    await deployOk(t(), model(timerStart('timeCycle', 'R2/PT3H'), 'end2'));
    const v2 = await startJobs(t(), id);
    expect(v2.map((j) => [j.version, j.repeats_left])).toEqual([[2, 1]]);
    await runDueJobs(t().suite.registry, { now: later(2.5 * HOUR) });
    expect(await instancesOf(t(), id)).toEqual([]);
    await runDueJobs(t().suite.registry, { now: later(3.1 * HOUR) });
    expect((await instancesOf(t(), id)).map((i) => i.version)).toEqual([2]);
    // A version without a timer start removes the cycle's remaining occurrence.
    await deployOk(
      t(),
      bpmn(id, `<bpmn:startEvent id="start" /><bpmn:endEvent id="end3" />${flow('f1', 'start', 'end3')}`),
    );
    expect(await startJobs(t(), id)).toEqual([]);
  });

  it('refuses bad timers and start events at deploy, naming the element', async () => {
    const id = pid('tbad');
    const refused = await deploy(
      t(),
      bpmn(
        id,
        `${timerStart('timeCycle', 'R5/banana', 's1')}${timerStart('timeCycle', '=R5/', 's2')}
        <bpmn:startEvent id="s3"><bpmn:messageEventDefinition /></bpmn:startEvent>
        <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeCycle>R/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
        <bpmn:startEvent id="s4"><bpmn:messageEventDefinition messageRef="m" /><bpmn:extensionElements><zeebe:properties><zeebe:property name="condition" value="to = 1" /></zeebe:properties></bpmn:extensionElements></bpmn:startEvent>
        <bpmn:startEvent id="s5"><bpmn:conditionalEventDefinition /></bpmn:startEvent>
        <bpmn:endEvent id="end" />${flow('f1', 's1', 'wait')}${flow('f2', 'wait', 'end')}`,
        '<bpmn:message id="m" name="m1" />',
      ),
    );
    expect(refused.status).toBe(422);
    const problems = problemsOf(refused.body);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^s1: "R5\/banana" is not an ISO 8601 repeating interval/),
        expect.stringMatching(/^s2: Timer cycle: FEEL syntax error/),
        's3: A message start event needs a message with a name',
        'wait: A timer cycle is allowed on start and boundary events only',
        's4: The start condition must be a FEEL expression starting with "="',
        's5: A start event with bpmn:ConditionalEventDefinition is not supported yet',
      ]),
    );
    expect(await startJobs(t(), id)).toEqual([]);
    const noStart = await deploy(t(), bpmn(pid('nostart'), '<bpmn:endEvent id="end" />'));
    expect(problemsOf(noStart.body)).toEqual([
      expect.stringContaining('An executable process needs a start event'),
    ]);
  });

  it('a non-interrupting timer cycle on a boundary fires repeatedly while the task waits, and stops with it', async () => {
    const id = pid('bcycle');
    await deployOk(
      t(),
      bpmn(
        id,
        `<bpmn:startEvent id="start" />${userTask('work', `assignee="${'=owner'}"`)}
        <bpmn:boundaryEvent id="remind" attachedToRef="work" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>R3/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
        <bpmn:scriptTask id="count"><bpmn:extensionElements><zeebe:script expression="=reminded + 1" resultVariable="reminded" /></bpmn:extensionElements></bpmn:scriptTask>
        <bpmn:endEvent id="reminderSent" /><bpmn:endEvent id="end" />
        ${chain(['start', 'work', 'end'])}${chain(['remind', 'count', 'reminderSent'], 'r')}`,
      ),
    );
    const a = await start(t(), id, { owner: t().admin.email, reminded: 0 });
    for (const [hours, expected] of [
      [0.5, 0],
      [1.01, 1],
      [2.01, 2],
      [3.01, 3],
      [9, 3],
    ] as const) {
      await runDueJobs(t().suite.registry, { now: later(hours * HOUR) });
      expect((await instance(t(), a.id)).variables.reminded, `after ${hours} h`).toBe(expected);
    }
    expect((await instance(t(), a.id)).activeElements.map((e) => e.elementId)).toEqual(['work']);

    // Forever: it repeats until the task completes, then nothing is left to fire.
    const b = await start(t(), id, { owner: t().admin.email, reminded: 0 });
    const [task] = await tasksOf(t(), b.id);
    await runDueJobs(t().suite.registry, { now: later(1.01 * HOUR) });
    await t().request('POST', `/api/bpm/tasks/${task?.id}/complete`, { cookie: t().admin.cookie, body: {} });
    const jobs = await sql`select id from bpm_jobs where instance_id = ${b.id}`.execute(t().db);
    expect(jobs.rows).toEqual([]);
    expect(await instance(t(), b.id)).toMatchObject({ state: 'completed', variables: { reminded: 1 } });
  });

  it('an interrupting timer cycle on a boundary fires once and ends the task', async () => {
    const id = pid('bcyclei');
    await deployOk(
      t(),
      bpmn(
        id,
        `<bpmn:startEvent id="start" />${userTask('work', 'assignee="nobody@test.uz"')}
        <bpmn:boundaryEvent id="late" attachedToRef="work"><bpmn:timerEventDefinition><bpmn:timeCycle>R/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
        <bpmn:endEvent id="escalated" /><bpmn:endEvent id="end" />${chain(['start', 'work', 'end'])}${flow('x', 'late', 'escalated')}`,
      ),
    );
    const a = await start(t(), id);
    await runDueJobs(t().suite.registry, { now: later(5 * HOUR) });
    const view = await instance(t(), a.id);
    expect(view.state).toBe('completed');
    expect(view.history.filter((h) => h.elementId === 'late')).toHaveLength(1);
  });
  it('a message start: POST /messages starts the latest version with its variables; one active instance per correlation key', async () => {
    const id = pid('mstart');
    const name = `order_${id}`;
    const model = (version: string) =>
      bpmn(
        id,
        `<bpmn:startEvent id="start"><bpmn:messageEventDefinition messageRef="m" /></bpmn:startEvent>
        ${userTask('work', 'assignee="=owner"')}<bpmn:endEvent id="end_${version}" />${chain(['start', 'work', `end_${version}`])}`,
        `<bpmn:message id="m" name="${name}" />`,
      );
    await deployOk(t(), model('a'));
    const send = (correlationKey: string, variables: Record<string, unknown> = {}) =>
      t().request('POST', '/api/bpm/messages', {
        cookie: t().admin.cookie,
        body: { name, correlationKey, variables: { owner: t().admin.email, ...variables } },
      });
    const first = await send('ORD-1', { amount: 5 });
    expect(first.status).toBe(200);
    expect(first.body.startedInstanceIds).toEqual([first.body.processInstanceId]);
    expect(await instance(t(), first.body.processInstanceId)).toMatchObject({
      state: 'active',
      variables: { amount: 5 },
    });
    // The same key while that instance is active starts nothing (and nothing waits: 404).
    const again = await send('ORD-1');
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('MESSAGE_NOT_CORRELATED');
    // Another key, and no key, start new ones.
    expect((await send('ORD-2')).body.startedInstanceIds).toHaveLength(1);
    expect((await send('')).body.startedInstanceIds).toHaveLength(1);
    expect((await send('')).body.startedInstanceIds).toHaveLength(1);
    // Once the first has ended, its key starts again.
    const [task] = await tasksOf(t(), first.body.processInstanceId);
    await t().request('POST', `/api/bpm/tasks/${task?.id}/complete`, { cookie: t().admin.cookie, body: {} });
    expect((await send('ORD-1')).body.startedInstanceIds).toHaveLength(1);
    // Two messages with one key at the same moment start one instance.
    const both = await Promise.all([send('ORD-3'), send('ORD-3')]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 404]);
    expect(await instancesOf(t(), id)).toHaveLength(6);
    // Only the latest version starts by message.
    await deployOk(t(), model('b'));
    const v2 = await send('ORD-4');
    expect((await instance(t(), v2.body.processInstanceId)).history.map((h) => h.elementId)).toContain(
      'start',
    );
    const versions = (await instancesOf(t(), id)).map((i) => i.version);
    expect(versions.filter((v) => v === 2)).toHaveLength(1);
    // Without the permission to send messages: 403, nothing started.
    const clerk = await t().createUser(['employee']);
    const refused = await t().request('POST', '/api/bpm/messages', {
      cookie: clerk.cookie,
      body: { name, correlationKey: 'ORD-9' },
    });
    expect(refused.status).toBe(403);
    expect(await instancesOf(t(), id)).toHaveLength(7);
  });

  it('signal starts: POST /signals and a thrown signal start every latest-version process with that signal start', async () => {
    const name = `sig_${pid('s')}`;
    const signal = `<bpmn:signal id="sig" name="${name}" />`;
    const starter = (id: string) =>
      bpmn(
        id,
        `<bpmn:startEvent id="start"><bpmn:signalEventDefinition signalRef="sig" /></bpmn:startEvent><bpmn:endEvent id="end" />${chain(['start', 'end'])}`,
        signal,
      );
    const [a, b] = [pid('sigA'), pid('sigB')];
    await deployOk(t(), starter(a));
    await deployOk(t(), starter(b));
    const sent = await t().request('POST', '/api/bpm/signals', {
      cookie: t().admin.cookie,
      body: { name, variables: { why: 'api' } },
    });
    expect(sent.status).toBe(200);
    expect(sent.body.startedInstanceIds).toHaveLength(2);
    expect((await instancesOf(t(), a))[0]?.variables).toEqual({ why: 'api' });
    const thrower = pid('sigThrow');
    await deployOk(
      t(),
      bpmn(
        thrower,
        `<bpmn:startEvent id="start" /><bpmn:intermediateThrowEvent id="shout"><bpmn:signalEventDefinition signalRef="sig" /></bpmn:intermediateThrowEvent><bpmn:endEvent id="end" />${chain(['start', 'shout', 'end'])}`,
        signal,
      ),
    );
    await start(t(), thrower);
    expect(await instancesOf(t(), a)).toHaveLength(1); // after commit, through the outbox
    await t().suite.dispatcher.drain();
    expect(await instancesOf(t(), a)).toHaveLength(2);
    expect(await instancesOf(t(), b)).toHaveLength(2);
    const other = await t().request('POST', '/api/bpm/signals', {
      cookie: t().admin.cookie,
      body: { name: `${name}_other` },
    });
    expect(other.body).toEqual({ caught: 0, startedInstanceIds: [] });
  });

  it('a CRM deal moved to won starts the process once (its FEEL condition on the payload); another stage does not', async () => {
    const id = pid('won');
    await deployOk(
      t(),
      bpmn(
        id,
        `<bpmn:startEvent id="start"><bpmn:extensionElements><zeebe:properties><zeebe:property name="condition" value="=to = &quot;won&quot;" /></zeebe:properties></bpmn:extensionElements><bpmn:messageEventDefinition messageRef="m" /></bpmn:startEvent>
        ${userTask('deliver', 'candidateGroups="warehouse"')}<bpmn:endEvent id="end" />${chain(['start', 'deliver', 'end'])}`,
        '<bpmn:message id="m" name="crm.deal.stageChanged" />',
      ),
    );
    const follow = pid('follow');
    await deployOk(
      t(),
      bpmn(
        follow,
        `<bpmn:startEvent id="start" /><bpmn:intermediateCatchEvent id="moved"><bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent><bpmn:endEvent id="end" />${chain(['start', 'moved', 'end'])}`,
        '<bpmn:message id="m" name="crm.deal.stageChanged"><bpmn:extensionElements><zeebe:subscription correlationKey="=dealId" /></bpmn:extensionElements></bpmn:message>',
      ),
    );
    const cookie = t().admin.cookie;
    const ok = (response: { status: number; body: unknown }, status: number) => {
      expect(response.status, JSON.stringify(response.body)).toBe(status);
      return response.body as { id: string };
    };
    const product = ok(
      await t().request('POST', '/api/erp/products', {
        cookie,
        body: { sku: `BPM-${id}`.slice(0, 40), name: 'Sement M400', unit: 'pcs' },
      }),
      201,
    );
    const client = ok(
      await t().request('POST', '/api/crm/clients', {
        cookie,
        body: { kind: 'company', name: `Bpm ${id} MChJ` },
      }),
      201,
    );
    const deal = ok(
      await t().request('POST', '/api/crm/deals', {
        cookie,
        body: {
          clientId: client.id,
          title: 'Sement',
          lines: [{ productId: product.id, quantity: 2, price: '100' }],
        },
      }),
      201,
    );
    const waiting = await start(t(), follow, { dealId: deal.id });
    const move = (stage: string) =>
      t().request('POST', `/api/crm/deals/${deal.id}/stage`, { cookie, body: { stage } });
    ok(await move('proposal'), 200);
    await t().suite.dispatcher.drain();
    expect(await instancesOf(t(), id)).toEqual([]);
    // The waiting catch keyed on the deal id took the first event.
    expect(await instance(t(), waiting.id)).toMatchObject({
      state: 'completed',
      variables: { to: 'proposal' },
    });
    ok(await move('won'), 200);
    await t().suite.dispatcher.drain();
    const started = await instancesOf(t(), id);
    expect(started).toHaveLength(1);
    expect(started[0]?.variables).toMatchObject({
      dealId: deal.id,
      from: 'proposal',
      to: 'won',
      clientId: client.id,
    });
    // At least once: the same event delivered again starts nothing more.
    await sql`update core_event_deliveries set status = 'pending', next_attempt_at = now()
      where subscriber = 'bpm.startProcessesOnEvent'`.execute(t().db);
    await t().suite.dispatcher.drain();
    expect(await instancesOf(t(), id)).toHaveLength(1);
    // The engine's own events are not delivered to it as messages.
    const own = await sql<{
      n: number;
    }>`select count(*)::int as n from core_event_deliveries d join core_events e on e.id = d.event_id
      where d.subscriber = 'bpm.startProcessesOnEvent' and e.type like 'bpm.%'`.execute(t().db);
    expect(own.rows[0]?.n).toBe(0);
  });
  it('a timer start fires once however many pollers claim at the same time', async () => {
    const id = pid('tonce');
    await deployOk(
      t(),
      bpmn(id, `${timerStart('timeDuration', 'PT1H')}<bpmn:endEvent id="end" />${chain(['start', 'end'])}`),
    );
    const ran = await Promise.all(
      Array.from({ length: 4 }, () => runDueJobs(t().suite.registry, { now: later(1.5 * HOUR) })),
    );
    expect(ran.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    expect(await instancesOf(t(), id)).toHaveLength(1);
    expect(await startJobs(t(), id)).toEqual([]);
  });
});
