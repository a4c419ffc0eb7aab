// Call activities: the child records its parent, variables cross by propagation or mappings,
// the child's completion continues the parent in the same transaction, cancelling or interrupting
// the call cancels the child, an uncaught error in the child reaches the call's boundary, and a
// process that is not deployed opens an incident that a retry resolves once it is.
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

const call = (id: string, calledElement: string, io = '') =>
  `<bpmn:callActivity id="${id}"><bpmn:extensionElements><zeebe:calledElement ${calledElement} />${
    io ? `<zeebe:ioMapping>${io}</zeebe:ioMapping>` : ''
  }</bpmn:extensionElements></bpmn:callActivity>`;

const script = (id: string, expression: string, result: string) =>
  `<bpmn:scriptTask id="${id}"><bpmn:extensionElements><zeebe:script expression="${expression}" resultVariable="${result}" /></bpmn:extensionElements></bpmn:scriptTask>`;

async function childrenOf(t: TestSuite, parentId: string) {
  const { rows } = await sql<{ id: string; state: string; parent_element_instance_id: string }>`
    select id, state, parent_element_instance_id from bpm_instances where parent_instance_id = ${parentId} order by started_at`.execute(
    t.db,
  );
  return rows;
}

async function completeTask(t: TestSuite, instanceId: string, variables: Record<string, unknown> = {}) {
  const [task] = await tasksOf(t, instanceId);
  const done = await t.request('POST', `/api/bpm/tasks/${task?.id}/complete`, {
    cookie: t.admin.cookie,
    body: { variables },
  });
  expect(done.status, JSON.stringify(done.body)).toBe(200);
  return done.body as { instanceState: string };
}

describeEachBackend('bpm engine, call activities', (t) => {
  it('runs the called process with the parent variables and the input mappings; all child variables come back', async () => {
    const child = pid('child');
    await deployOk(
      t(),
      bpmn(
        child,
        `<bpmn:startEvent id="s" />${script('calc', '=doubled + bonus', 'total')}<bpmn:endEvent id="e" />${chain(['s', 'calc', 'e'])}`,
      ),
    );
    const parent = pid('parent');
    await deployOk(
      t(),
      bpmn(
        parent,
        `<bpmn:startEvent id="start" />${call('sub', `processId="${child}"`, '<zeebe:input source="=amount * 2" target="doubled" />')}<bpmn:endEvent id="end" />${chain(['start', 'sub', 'end'])}`,
      ),
    );
    const started = await start(t(), parent, { amount: 5, bonus: 1 });
    expect(started.state).toBe('completed');
    const view = await instance(t(), started.id);
    expect(view.variables).toMatchObject({ amount: 5, bonus: 1, total: 11 });
    const [called] = await childrenOf(t(), started.id);
    expect(called?.state).toBe('completed');
    const callToken = (
      await t().request('GET', `/api/bpm/instances/${started.id}`, { cookie: t().admin.cookie })
    ).body.history.find((h: { elementId: string }) => h.elementId === 'sub');
    expect(called?.parent_element_instance_id).toBe(callToken.id);
    const childView = await t().request('GET', `/api/bpm/instances/${called?.id}`, {
      cookie: t().admin.cookie,
    });
    expect(childView.body).toMatchObject({
      parentInstanceId: started.id,
      variables: { doubled: 10, amount: 5 },
    });
  });

  it('FEEL process id, no propagation: only the inputs go in and only the outputs come back; the child task completing continues the parent', async () => {
    const child = pid('childTask');
    await deployOk(
      t(),
      bpmn(
        child,
        `<bpmn:startEvent id="s" />${userTask('approve', 'assignee="=owner"')}<bpmn:endEvent id="e" />${chain(['s', 'approve', 'e'])}`,
      ),
    );
    const parent = pid('parentFeel');
    await deployOk(
      t(),
      bpmn(
        parent,
        `<bpmn:startEvent id="start" />${call(
          'sub',
          'processId="=which" propagateAllChildVariables="false" propagateAllParentVariables="false"',
          '<zeebe:input source="=owner" target="owner" /><zeebe:output source="=approved" target="decision" />',
        )}<bpmn:endEvent id="end" />${chain(['start', 'sub', 'end'])}`,
      ),
    );
    const started = await start(t(), parent, { which: child, owner: t().admin.email, secret: 42 });
    expect(started.state).toBe('active');
    const [called] = await childrenOf(t(), started.id);
    const childView = await instance(t(), called?.id ?? '');
    expect(childView.variables).toEqual({ owner: t().admin.email });
    const done = await completeTask(t(), called?.id ?? '', { approved: true, note: 'ok' });
    expect(done.instanceState).toBe('completed');
    const view = await instance(t(), started.id);
    expect(view.state).toBe('completed');
    expect(view.variables).toEqual({ which: child, owner: t().admin.email, secret: 42, decision: true });
  });

  it('cancelling the parent, or an interrupting timer on the call, cancels the child and its task', async () => {
    const child = pid('childWait');
    await deployOk(
      t(),
      bpmn(
        child,
        `<bpmn:startEvent id="s" />${userTask('approve', 'assignee="nobody@test.uz"')}<bpmn:endEvent id="e" />${chain(['s', 'approve', 'e'])}`,
      ),
    );
    const parent = pid('parentCancel');
    await deployOk(
      t(),
      bpmn(
        parent,
        `<bpmn:startEvent id="start" />${call('sub', `processId="${child}"`)}
        <bpmn:boundaryEvent id="late" attachedToRef="sub"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
        <bpmn:endEvent id="end" /><bpmn:endEvent id="timedOut" />${chain(['start', 'sub', 'end'])}${flow('x', 'late', 'timedOut')}`,
      ),
    );
    const a = await start(t(), parent);
    const cancelled = await t().request('POST', `/api/bpm/instances/${a.id}/cancel`, {
      cookie: t().admin.cookie,
    });
    expect(cancelled.body.state).toBe('cancelled');
    const [childA] = await childrenOf(t(), a.id);
    expect(childA?.state).toBe('cancelled');
    const tasks = await sql<{
      state: string;
    }>`select state from bpm_user_tasks where instance_id = ${childA?.id ?? ''}`.execute(t().db);
    expect(tasks.rows).toEqual([{ state: 'cancelled' }]);

    const b = await start(t(), parent);
    await runDueJobs(t().suite.registry, { now: new Date(Date.now() + 2 * 3_600_000) });
    expect((await instance(t(), b.id)).history.map((h) => h.elementId)).toContain('timedOut');
    expect((await childrenOf(t(), b.id)).map((c) => c.state)).toEqual(['cancelled']);
  });

  it('an error end in the child that it does not catch reaches the error boundary on the call, at once or later', async () => {
    const child = pid('childErr');
    await deployOk(
      t(),
      bpmn(
        child,
        `<bpmn:startEvent id="s" /><bpmn:exclusiveGateway id="g" default="toTask" />${userTask('check', 'assignee="=owner"')}
        <bpmn:endEvent id="fail"><bpmn:errorEventDefinition errorRef="err" /></bpmn:endEvent><bpmn:endEvent id="ok" />
        ${flow('f0', 's', 'g')}${flow('toFail', 'g', 'fail', '=now')}${flow('toTask', 'g', 'check')}
        <bpmn:exclusiveGateway id="g2" default="toOk" />${flow('f1', 'check', 'g2')}${flow('toFail2', 'g2', 'fail', '=reject')}${flow('toOk', 'g2', 'ok')}`,
        '<bpmn:error id="err" errorCode="REJECTED" />',
      ),
    );
    const parent = pid('parentErr');
    await deployOk(
      t(),
      bpmn(
        parent,
        `<bpmn:startEvent id="start" />${call('sub', `processId="${child}"`)}
        <bpmn:boundaryEvent id="caught" attachedToRef="sub"><bpmn:extensionElements><zeebe:ioMapping><zeebe:output source="=errorCode" target="why" /></zeebe:ioMapping></bpmn:extensionElements><bpmn:errorEventDefinition errorRef="err" /></bpmn:boundaryEvent>
        <bpmn:endEvent id="end" /><bpmn:endEvent id="rejected" />${chain(['start', 'sub', 'end'])}${flow('x', 'caught', 'rejected')}`,
        '<bpmn:error id="err" errorCode="REJECTED" />',
      ),
    );
    const now = await start(t(), parent, { now: true });
    const nowView = await instance(t(), now.id);
    expect(nowView).toMatchObject({ state: 'completed', variables: { why: 'REJECTED' } });
    expect(nowView.history.map((h) => h.elementId)).toContain('rejected');
    expect((await childrenOf(t(), now.id)).map((c) => c.state)).toEqual(['cancelled']);

    const later = await start(t(), parent, { now: false, reject: true, owner: t().admin.email });
    const [called] = await childrenOf(t(), later.id);
    const [task] = await tasksOf(t(), called?.id ?? '');
    await t().request('POST', `/api/bpm/tasks/${task?.id}/complete`, { cookie: t().admin.cookie, body: {} });
    expect(await instance(t(), later.id)).toMatchObject({
      state: 'completed',
      variables: { why: 'REJECTED' },
    });
    expect((await instance(t(), called?.id ?? '')).state).toBe('cancelled');

    // Nothing on the parent catches it either: an incident on the call activity.
    const bare = pid('parentBare');
    await deployOk(
      t(),
      bpmn(
        bare,
        `<bpmn:startEvent id="start" />${call('sub', `processId="${child}"`)}<bpmn:endEvent id="end" />${chain(['start', 'sub', 'end'])}`,
      ),
    );
    const failed = await instance(t(), (await start(t(), bare, { now: true })).id);
    expect(failed.state).toBe('failed');
    expect(failed.incidents).toEqual([expect.objectContaining({ elementId: 'sub', code: 'REJECTED' })]);
  });

  it('a called process that is not deployed is an incident; deploying it and retrying continues', async () => {
    const missing = pid('later');
    const parent = pid('parentMissing');
    await deployOk(
      t(),
      bpmn(
        parent,
        `<bpmn:startEvent id="start" />${call('sub', `processId="${missing}"`)}<bpmn:endEvent id="end" />${chain(['start', 'sub', 'end'])}`,
      ),
    );
    const started = await start(t(), parent, { n: 1 });
    const view = await instance(t(), started.id);
    expect(view.state).toBe('failed');
    expect(view.incidents).toEqual([
      expect.objectContaining({ elementId: 'sub', code: 'CALLED_PROCESS_NOT_FOUND' }),
    ]);
    await deployOk(
      t(),
      bpmn(
        missing,
        `<bpmn:startEvent id="s" />${script('inc', '=n + 1', 'n')}<bpmn:endEvent id="e" />${chain(['s', 'inc', 'e'])}`,
      ),
    );
    const retried = await t().request('POST', `/api/bpm/incidents/${view.incidents[0]?.id}/retry`, {
      cookie: t().admin.cookie,
    });
    expect(retried.body.instanceState).toBe('completed');
    expect((await instance(t(), started.id)).variables.n).toBe(2);
  });

  it('refuses a call activity without zeebe:calledElement at deploy', async () => {
    const refused = await deploy(
      t(),
      bpmn(
        pid('nocall'),
        `<bpmn:startEvent id="start" /><bpmn:callActivity id="sub" /><bpmn:endEvent id="end" />${chain(['start', 'sub', 'end'])}`,
      ),
    );
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.problems).toEqual([
      expect.objectContaining({
        elementId: 'sub',
        message: 'A call activity needs zeebe:calledElement processId',
      }),
    ]);
  });
  it('a called process without a none start event is an incident on the call', async () => {
    const child = pid('msgOnly');
    await deployOk(
      t(),
      bpmn(
        child,
        `<bpmn:startEvent id="s"><bpmn:messageEventDefinition messageRef="m" /></bpmn:startEvent><bpmn:endEvent id="e" />${chain(['s', 'e'])}`,
        `<bpmn:message id="m" name="only_${child}" />`,
      ),
    );
    const parent = pid('parentNoStart');
    await deployOk(
      t(),
      bpmn(
        parent,
        `<bpmn:startEvent id="start" />${call('sub', `processId="${child}"`)}<bpmn:endEvent id="end" />${chain(['start', 'sub', 'end'])}`,
      ),
    );
    const view = await instance(t(), (await start(t(), parent)).id);
    expect(view.state).toBe('failed');
    expect(view.incidents).toEqual([
      expect.objectContaining({ elementId: 'sub', code: 'CALLED_PROCESS_NO_NONE_START' }),
    ]);
    expect(await childrenOf(t(), view.id)).toEqual([]);
  });
  it("an escalation the child does not catch reaches the call's escalation boundary: beside the call, or ending it", async () => {
    const child = pid('childEsc');
    const escalations =
      '<bpmn:escalation id="help" escalationCode="HELP" /><bpmn:escalation id="stop" escalationCode="STOP" />';
    await deployOk(
      t(),
      bpmn(
        child,
        `<bpmn:startEvent id="s" /><bpmn:intermediateThrowEvent id="askHelp"><bpmn:escalationEventDefinition escalationRef="help" /></bpmn:intermediateThrowEvent>
        ${userTask('work', 'assignee="=owner"')}<bpmn:intermediateThrowEvent id="askStop"><bpmn:escalationEventDefinition escalationRef="stop" /></bpmn:intermediateThrowEvent>
        <bpmn:endEvent id="e" />${chain(['s', 'askHelp', 'work', 'askStop', 'e'])}`,
        escalations,
      ),
    );
    const parent = pid('parentEsc');
    await deployOk(
      t(),
      bpmn(
        parent,
        `<bpmn:startEvent id="start" />${call('sub', `processId="${child}"`)}<bpmn:endEvent id="end" />${chain(['start', 'sub', 'end'])}
        <bpmn:boundaryEvent id="helping" attachedToRef="sub" cancelActivity="false"><bpmn:escalationEventDefinition escalationRef="help" /></bpmn:boundaryEvent>
        ${script('doHelp', '=true', 'helped')}<bpmn:endEvent id="helpDone" />${chain(['helping', 'doHelp', 'helpDone'], 'h')}
        <bpmn:boundaryEvent id="stopping" attachedToRef="sub"><bpmn:escalationEventDefinition escalationRef="stop" /></bpmn:boundaryEvent>
        <bpmn:endEvent id="stopped" />${flow('x', 'stopping', 'stopped')}`,
        escalations,
      ),
    );
    const started = await start(t(), parent, { owner: t().admin.email });
    const view = await instance(t(), started.id);
    expect(view).toMatchObject({ state: 'active', variables: { helped: true } });
    expect(view.activeElements.map((e) => e.elementId)).toEqual(['sub']);
    const [called] = await childrenOf(t(), started.id);
    await completeTask(t(), called?.id ?? '');
    const after = await instance(t(), started.id);
    expect(after.state).toBe('completed');
    expect(after.history.map((h) => h.elementId)).toContain('stopped');
    expect(after.history.map((h) => h.elementId)).not.toContain('end');
    expect(after.history.find((h) => h.elementId === 'sub')?.state).toBe('terminated');
  });
});
