// Event sub-processes (message, timer, signal, error, escalation starts; interrupting or not; on
// the process or an embedded sub-process) and escalation throw/end events with their boundaries.
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

const script = (id: string, expression: string, result: string) =>
  `<bpmn:scriptTask id="${id}"><bpmn:extensionElements><zeebe:script expression="${expression}" resultVariable="${result}" /></bpmn:extensionElements></bpmn:scriptTask>`;

/** An event sub-process whose start has `definition`, then a script, then an end. */
const eventSub = (id: string, definition: string, body: string, interrupting = true) =>
  `<bpmn:subProcess id="${id}" triggeredByEvent="true"><bpmn:startEvent id="${id}_start" isInterrupting="${interrupting}">${definition}</bpmn:startEvent>
  ${body}<bpmn:endEvent id="${id}_end" />${flow(`${id}_f1`, `${id}_start`, `${id}_work`)}${flow(`${id}_f2`, `${id}_work`, `${id}_end`)}</bpmn:subProcess>`;

const visited = (view: { history: { elementId: string }[] }) => view.history.map((h) => h.elementId);

async function waits(t: TestSuite, instanceId: string) {
  const jobs = await sql<{
    n: number;
  }>`select count(*)::int as n from bpm_jobs where instance_id = ${instanceId}`.execute(t.db);
  const subs = await sql<{
    n: number;
  }>`select count(*)::int as n from bpm_message_subscriptions where instance_id = ${instanceId}`.execute(
    t.db,
  );
  return (jobs.rows[0]?.n ?? 0) + (subs.rows[0]?.n ?? 0);
}

describeEachBackend('bpm engine, event sub-processes and escalation', (t) => {
  it('an interrupting message event sub-process ends the process tokens and runs instead', async () => {
    const id = pid('esMsg');
    const name = `cancelOrder_${id}`;
    await deployOk(
      t(),
      bpmn(
        id,
        `<bpmn:startEvent id="start" />${userTask('work', 'assignee="nobody@test.uz"')}<bpmn:endEvent id="end" />${chain(['start', 'work', 'end'])}
        ${eventSub('onCancel', '<bpmn:messageEventDefinition messageRef="m" />', script('onCancel_work', '=&quot;yes&quot;', 'cancelled'))}`,
        `<bpmn:message id="m" name="${name}"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements></bpmn:message>`,
      ),
    );
    const a = await start(t(), id, { orderId: 'A-1' });
    expect(a.state).toBe('active');
    const sent = await t().request('POST', '/api/bpm/messages', {
      cookie: t().admin.cookie,
      body: { name, correlationKey: 'A-1', variables: { reason: 'client' } },
    });
    expect(sent.status).toBe(200);
    expect(sent.body.processInstanceId).toBe(a.id);
    const view = await instance(t(), a.id);
    expect(view).toMatchObject({ state: 'completed', variables: { cancelled: 'yes', reason: 'client' } });
    expect(view.history.find((h) => h.elementId === 'work')?.state).toBe('terminated');
    expect(await waits(t(), a.id)).toBe(0);
    // Without the variable its correlation key needs, the instance starts failed with an incident.
    const missing = await t().request('POST', '/api/bpm/instances', {
      cookie: t().admin.cookie,
      body: { processId: id, variables: {} },
    });
    expect(missing.status).toBe(201);
    expect(missing.body.state).toBe('failed');
    expect((await instance(t(), missing.body.id)).incidents).toEqual([
      expect.objectContaining({ elementId: 'start', code: 'FEEL_ERROR' }),
    ]);
    // A second message finds nobody waiting.
    const again = await t().request('POST', '/api/bpm/messages', {
      cookie: t().admin.cookie,
      body: { name, correlationKey: 'A-1' },
    });
    expect(again.status).toBe(404);
  });

  it('a non-interrupting timer cycle event sub-process reminds beside the work; its timer goes when the process ends', async () => {
    const id = pid('esTimer');
    await deployOk(
      t(),
      bpmn(
        id,
        `<bpmn:startEvent id="start" />${userTask('work', 'assignee="=owner"')}<bpmn:endEvent id="end" />${chain(['start', 'work', 'end'])}
        ${eventSub('remind', '<bpmn:timerEventDefinition><bpmn:timeCycle>R2/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition>', script('remind_work', '=reminded + 1', 'reminded'), false)}`,
      ),
    );
    const a = await start(t(), id, { owner: t().admin.email, reminded: 0 });
    for (const hours of [1.01, 2.01, 5])
      await runDueJobs(t().suite.registry, { now: new Date(Date.now() + hours * 3_600_000) });
    const view = await instance(t(), a.id);
    expect(view.variables.reminded).toBe(2);
    expect(view.activeElements.map((e) => e.elementId)).toEqual(['work']);
    const b = await start(t(), id, { owner: t().admin.email, reminded: 0 });
    expect(await waits(t(), b.id)).toBe(1);
    const [task] = await tasksOf(t(), b.id);
    await t().request('POST', `/api/bpm/tasks/${task?.id}/complete`, { cookie: t().admin.cookie, body: {} });
    expect((await instance(t(), b.id)).state).toBe('completed');
    expect(await waits(t(), b.id)).toBe(0);
  });

  it('a non-interrupting signal event sub-process in an embedded sub-process catches every signal while the sub-process runs', async () => {
    const id = pid('esSig');
    const name = `ping_${id}`;
    await deployOk(
      t(),
      bpmn(
        id,
        `<bpmn:startEvent id="start" /><bpmn:subProcess id="sub"><bpmn:startEvent id="s0" />${userTask('work', 'assignee="=owner"')}<bpmn:endEvent id="s9" />${chain(['s0', 'work', 's9'], 's')}
          ${eventSub('onPing', '<bpmn:signalEventDefinition signalRef="sig" />', script('onPing_work', '=pings + 1', 'pings'), false)}
        </bpmn:subProcess><bpmn:endEvent id="end" />${chain(['start', 'sub', 'end'])}`,
        `<bpmn:signal id="sig" name="${name}" />`,
      ),
    );
    const a = await start(t(), id, { owner: t().admin.email, pings: 0 });
    const signal = () =>
      t().request('POST', '/api/bpm/signals', { cookie: t().admin.cookie, body: { name } });
    expect((await signal()).body.caught).toBe(1);
    expect((await signal()).body.caught).toBe(1);
    expect((await instance(t(), a.id)).variables.pings).toBe(2);
    const [task] = await tasksOf(t(), a.id);
    await t().request('POST', `/api/bpm/tasks/${task?.id}/complete`, { cookie: t().admin.cookie, body: {} });
    expect((await instance(t(), a.id)).state).toBe('completed');
    expect((await signal()).body.caught).toBe(0);
  });

  it('error event sub-processes: the one inside the sub-process catches before the boundary; the process one catches the rest', async () => {
    const id = pid('esErr');
    await deployOk(
      t(),
      bpmn(
        id,
        `<bpmn:startEvent id="start" /><bpmn:exclusiveGateway id="g" default="toOuter" />
        <bpmn:subProcess id="inner"><bpmn:startEvent id="i0" /><bpmn:endEvent id="iFail"><bpmn:errorEventDefinition errorRef="e1" /></bpmn:endEvent>${flow('i1', 'i0', 'iFail')}
          ${eventSub('innerCatch', '<bpmn:errorEventDefinition errorRef="e1" />', script('innerCatch_work', '=&quot;inner:&quot; + errorCode', 'caught'))}
        </bpmn:subProcess>
        <bpmn:boundaryEvent id="boundary" attachedToRef="inner"><bpmn:errorEventDefinition /></bpmn:boundaryEvent>
        <bpmn:subProcess id="outer"><bpmn:startEvent id="o0" /><bpmn:endEvent id="oFail"><bpmn:errorEventDefinition errorRef="e2" /></bpmn:endEvent>${flow('o1', 'o0', 'oFail')}</bpmn:subProcess>
        <bpmn:endEvent id="end1" /><bpmn:endEvent id="end2" /><bpmn:endEvent id="end3" />
        ${flow('f0', 'start', 'g')}${flow('toInner', 'g', 'inner', '=which = "inner"')}${flow('toOuter', 'g', 'outer')}
        ${flow('f1', 'inner', 'end1')}${flow('f2', 'outer', 'end2')}${flow('f3', 'boundary', 'end3')}
        ${eventSub('processCatch', '<bpmn:errorEventDefinition />', script('processCatch_work', '=&quot;process:&quot; + errorCode', 'caught'))}`,
        '<bpmn:error id="e1" errorCode="INNER" /><bpmn:error id="e2" errorCode="OUTER" />',
      ),
    );
    const inner = await instance(t(), (await start(t(), id, { which: 'inner' })).id);
    expect(inner).toMatchObject({ state: 'completed', variables: { caught: 'inner:INNER' } });
    expect(visited(inner)).toContain('end1');
    expect(visited(inner)).not.toContain('boundary');
    const outer = await instance(t(), (await start(t(), id, { which: 'outer' })).id);
    expect(outer).toMatchObject({ state: 'completed', variables: { caught: 'process:OUTER' } });
    expect(visited(outer)).not.toContain('end2');
  });

  it('escalation: boundaries interrupting and not, an event sub-process start, and an uncaught one that lets the token go on', async () => {
    const id = pid('esc');
    await deployOk(
      t(),
      bpmn(
        id,
        `<bpmn:startEvent id="start" /><bpmn:exclusiveGateway id="g" />
        <bpmn:subProcess id="soft"><bpmn:startEvent id="a0" /><bpmn:intermediateThrowEvent id="aThrow"><bpmn:escalationEventDefinition escalationRef="late" /></bpmn:intermediateThrowEvent>
          ${script('aAfter', '=true', 'softContinued')}<bpmn:endEvent id="a9" />${chain(['a0', 'aThrow', 'aAfter', 'a9'], 'a')}</bpmn:subProcess>
        <bpmn:boundaryEvent id="softCatch" attachedToRef="soft" cancelActivity="false"><bpmn:escalationEventDefinition escalationRef="late" /></bpmn:boundaryEvent>
        <bpmn:subProcess id="hard"><bpmn:startEvent id="b0" /><bpmn:endEvent id="bEnd"><bpmn:escalationEventDefinition escalationRef="late" /></bpmn:endEvent>${flow('b1', 'b0', 'bEnd')}</bpmn:subProcess>
        <bpmn:boundaryEvent id="hardCatch" attachedToRef="hard"><bpmn:extensionElements><zeebe:ioMapping><zeebe:output source="=escalationCode" target="hardCode" /></zeebe:ioMapping></bpmn:extensionElements><bpmn:escalationEventDefinition /></bpmn:boundaryEvent>
        <bpmn:intermediateThrowEvent id="toProcess"><bpmn:escalationEventDefinition escalationRef="notify" /></bpmn:intermediateThrowEvent>
        <bpmn:intermediateThrowEvent id="nobody"><bpmn:escalationEventDefinition escalationRef="unheard" /></bpmn:intermediateThrowEvent>
        ${script('softSeen', '=true', 'softCaught')}${script('hardSeen', '=hardCode', 'hardCaught')}
        <bpmn:endEvent id="e1" /><bpmn:endEvent id="e2" /><bpmn:endEvent id="e3" /><bpmn:endEvent id="e4" /><bpmn:endEvent id="e5" />
        ${flow('f0', 'start', 'g')}${flow('toSoft', 'g', 'soft', '=path = "soft"')}${flow('toHard', 'g', 'hard', '=path = "hard"')}
        ${flow('toP', 'g', 'toProcess', '=path = "process"')}${flow('toN', 'g', 'nobody', '=path = "nobody"')}
        ${flow('f1', 'soft', 'e1')}${chain(['softCatch', 'softSeen', 'e2'], 'sc')}${flow('f2', 'hard', 'e3')}${chain(['hardCatch', 'hardSeen', 'e4'], 'hc')}
        ${flow('f3', 'toProcess', 'e5')}${flow('f4', 'nobody', 'e5')}
        ${eventSub('onNotify', '<bpmn:escalationEventDefinition escalationRef="notify" />', script('onNotify_work', '=escalationCode', 'notified'), false)}`,
        '<bpmn:escalation id="late" escalationCode="LATE" /><bpmn:escalation id="notify" escalationCode="NOTIFY" /><bpmn:escalation id="unheard" escalationCode="UNHEARD" />',
      ),
    );
    const soft = await instance(t(), (await start(t(), id, { path: 'soft' })).id);
    expect(soft).toMatchObject({ state: 'completed', variables: { softCaught: true, softContinued: true } });
    expect(visited(soft)).toEqual(expect.arrayContaining(['e1', 'e2']));
    const hard = await instance(t(), (await start(t(), id, { path: 'hard' })).id);
    expect(hard).toMatchObject({ state: 'completed', variables: { hardCaught: 'LATE' } });
    expect(hard.history.find((h) => h.elementId === 'hard')?.state).toBe('terminated');
    expect(visited(hard)).not.toContain('e3');
    const toProcess = await instance(t(), (await start(t(), id, { path: 'process' })).id);
    expect(toProcess).toMatchObject({ state: 'completed', variables: { notified: 'NOTIFY' } });
    expect(visited(toProcess)).toContain('e5');
    const nobody = await instance(t(), (await start(t(), id, { path: 'nobody' })).id);
    expect(nobody.state).toBe('completed');
    expect(nobody.incidents).toEqual([]);
    expect(visited(nobody)).toContain('e5');
  });

  it('refuses event sub-processes without a start event definition, and non-interrupting error starts', async () => {
    const refused = await deploy(
      t(),
      bpmn(
        pid('esBad'),
        `<bpmn:startEvent id="start" /><bpmn:endEvent id="end" />${flow('f', 'start', 'end')}
        ${eventSub('plain', '', '<bpmn:task id="plain_work" />')}
        ${eventSub('soft', '<bpmn:errorEventDefinition />', '<bpmn:task id="soft_work" />', false)}
        <bpmn:endEvent id="esc"><bpmn:escalationEventDefinition /></bpmn:endEvent>`,
      ),
    );
    expect(refused.status).toBe(422);
    expect(
      refused.body.error.details.problems.map(
        (p: { elementId: string; message: string }) => `${p.elementId}: ${p.message}`,
      ),
    ).toEqual(
      expect.arrayContaining([
        'plain_start: An event sub-process start event with no definition is not supported',
        'soft_start: An error start event always interrupts (isInterrupting="false" is not allowed)',
        'esc: An escalation event needs an escalation with an escalationCode',
      ]),
    );
  });
  it('non-interrupting message and signal boundaries catch every message and signal while the task waits', async () => {
    const id = pid('nbMsg');
    const message = `nudge_${id}`;
    const signal = `ping_${id}`;
    await deployOk(
      t(),
      bpmn(
        id,
        `<bpmn:startEvent id="start" />${userTask('work', 'assignee="=owner"')}<bpmn:endEvent id="end" />${chain(['start', 'work', 'end'])}
        <bpmn:boundaryEvent id="nudged" attachedToRef="work" cancelActivity="false"><bpmn:messageEventDefinition messageRef="m" /></bpmn:boundaryEvent>
        <bpmn:boundaryEvent id="pinged" attachedToRef="work" cancelActivity="false"><bpmn:signalEventDefinition signalRef="sig" /></bpmn:boundaryEvent>
        ${script('countNudge', '=nudges + 1', 'nudges')}${script('countPing', '=pings + 1', 'pings')}<bpmn:endEvent id="n9" /><bpmn:endEvent id="p9" />
        ${chain(['nudged', 'countNudge', 'n9'], 'n')}${chain(['pinged', 'countPing', 'p9'], 'p')}`,
        `<bpmn:message id="m" name="${message}"><bpmn:extensionElements><zeebe:subscription correlationKey="=key" /></bpmn:extensionElements></bpmn:message><bpmn:signal id="sig" name="${signal}" />`,
      ),
    );
    const a = await start(t(), id, { owner: t().admin.email, key: 'K', nudges: 0, pings: 0 });
    for (let i = 0; i < 2; i++) {
      const sent = await t().request('POST', '/api/bpm/messages', {
        cookie: t().admin.cookie,
        body: { name: message, correlationKey: 'K' },
      });
      expect(sent.status).toBe(200);
      expect(
        (await t().request('POST', '/api/bpm/signals', { cookie: t().admin.cookie, body: { name: signal } }))
          .body.caught,
      ).toBe(1);
    }
    expect((await instance(t(), a.id)).variables).toMatchObject({ nudges: 2, pings: 2 });
    const [task] = await tasksOf(t(), a.id);
    await t().request('POST', `/api/bpm/tasks/${task?.id}/complete`, { cookie: t().admin.cookie, body: {} });
    expect((await instance(t(), a.id)).state).toBe('completed');
    expect(await waits(t(), a.id)).toBe(0);
    const late = await t().request('POST', '/api/bpm/messages', {
      cookie: t().admin.cookie,
      body: { name: message, correlationKey: 'K' },
    });
    expect(late.status).toBe(404);
  });
});
