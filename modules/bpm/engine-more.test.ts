import { expect, it } from 'vitest';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { runDueJobs, startBpmJobs } from './jobs.js';
import { bpmn, bpmTestModule, chain, deployOk, flow, instance, pid, start, tasksOf } from './test-helpers.js';

const visited = (view: { history: { elementId: string }[] }) => view.history.map((h) => h.elementId);

describeEachBackend(
  'bpm engine, more elements',
  (t) => {
    it('inclusive gateway fork: every flow whose condition is true, else the default', async () => {
      const id = pid('or');
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" /><bpmn:inclusiveGateway id="or" default="toNone" />
          <bpmn:manualTask id="mail" /><bpmn:task id="sms" /><bpmn:task id="none" />
          <bpmn:endEvent id="e1" /><bpmn:endEvent id="e2" /><bpmn:endEvent id="e3" />
          ${flow('f0', 'start', 'or')}${flow('toMail', 'or', 'mail', '=list contains(channels, "mail")')}
          ${flow('toSms', 'or', 'sms', '=list contains(channels, "sms")')}${flow('toNone', 'or', 'none')}
          ${flow('f1', 'mail', 'e1')}${flow('f2', 'sms', 'e2')}${flow('f3', 'none', 'e3')}`,
        ),
      );
      const both = await instance(t(), (await start(t(), id, { channels: ['mail', 'sms'] })).id);
      expect(both.state).toBe('completed');
      expect(
        visited(both)
          .filter((e) => ['mail', 'sms', 'none'].includes(e))
          .sort(),
      ).toEqual(['mail', 'sms']);
      const neither = await instance(t(), (await start(t(), id, { channels: [] })).id);
      expect(visited(neither)).toContain('none');
      expect(visited(neither)).not.toContain('mail');
    });

    it('an error inside a sub-process is caught by a catch-all error boundary on the sub-process', async () => {
      const id = pid('suberr');
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" />
          <bpmn:subProcess id="sub">
            <bpmn:startEvent id="s0" />
            <bpmn:serviceTask id="call"><bpmn:extensionElements><zeebe:taskDefinition type="bpmtest.echo" />
              <zeebe:ioMapping><zeebe:input source="=&quot;BOOM&quot;" target="code" /></zeebe:ioMapping></bpmn:extensionElements></bpmn:serviceTask>
            <bpmn:endEvent id="s9" />${chain(['s0', 'call', 's9'], 's')}
          </bpmn:subProcess>
          <bpmn:boundaryEvent id="caught" attachedToRef="sub"><bpmn:errorEventDefinition /></bpmn:boundaryEvent>
          <bpmn:endEvent id="ok" /><bpmn:endEvent id="failed" />
          ${flow('f0', 'start', 'sub')}${flow('f1', 'sub', 'ok')}${flow('f2', 'caught', 'failed')}`,
        ),
      );
      const view = await instance(t(), (await start(t(), id)).id);
      expect(view.state).toBe('completed');
      expect(view.history.map((h) => [h.elementId, h.state])).toEqual([
        ['start', 'completed'],
        ['sub', 'terminated'],
        ['s0', 'completed'],
        ['call', 'terminated'],
        ['caught', 'completed'],
        ['failed', 'completed'],
      ]);
    });

    it('timer date: fires at the date, once, however many pollers run at the same time', async () => {
      const id = pid('date');
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" /><bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDate>=at</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
          <bpmn:scriptTask id="count"><bpmn:extensionElements><zeebe:script expression="=fired + 1" resultVariable="fired" /></bpmn:extensionElements></bpmn:scriptTask>
          <bpmn:endEvent id="end" />${chain(['start', 'wait', 'count', 'end'])}`,
        ),
      );
      const at = new Date(Date.now() + 86_400_000);
      const ids = await Promise.all(
        Array.from({ length: 5 }, () => start(t(), id, { at: at.toISOString(), fired: 0 })),
      );
      await runDueJobs(t().suite.registry, { now: new Date(at.getTime() - 1000) });
      expect((await instance(t(), ids[0]?.id ?? '')).state).toBe('active');
      const ran = await Promise.all(
        Array.from({ length: 4 }, () =>
          runDueJobs(t().suite.registry, { now: new Date(at.getTime() + 1000) }),
        ),
      );
      expect(ran.reduce((a, b) => a + b, 0)).toBe(5);
      for (const started of ids) {
        const view = await instance(t(), started.id);
        expect(view.state).toBe('completed');
        expect(view.variables.fired).toBe(1);
      }
    });

    it('the background poller started with startBpmJobs fires due timers by itself', async () => {
      const id = pid('poller');
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" /><bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT0.05S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
          <bpmn:endEvent id="end" />${chain(['start', 'wait', 'end'])}`,
        ),
      );
      const started = await start(t(), id);
      expect(started.state).toBe('active');
      const log = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };
      const stop = startBpmJobs(t().suite.registry, log, 20);
      try {
        for (let i = 0; i < 100 && (await instance(t(), started.id)).state !== 'completed'; i++)
          await new Promise((resolve) => setTimeout(resolve, 20));
      } finally {
        await stop();
      }
      expect((await instance(t(), started.id)).state).toBe('completed');
    });

    it('receive task waits for its message; instances are listed and admins change variables (audited)', async () => {
      const id = pid('receive');
      const name = `approved_${id}`;
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" /><bpmn:receiveTask id="wait" messageRef="m" />
          <bpmn:exclusiveGateway id="ok" default="toNo" /><bpmn:endEvent id="yes" /><bpmn:endEvent id="no" />
          ${chain(['start', 'wait', 'ok'])}${flow('toYes', 'ok', 'yes', '=approved and amount &lt; limit')}${flow('toNo', 'ok', 'no')}`,
          `<bpmn:message id="m" name="${name}"><bpmn:extensionElements><zeebe:subscription correlationKey="=key" /></bpmn:extensionElements></bpmn:message>`,
        ),
      );
      const started = await t().request('POST', '/api/bpm/instances', {
        cookie: t().admin.cookie,
        body: { processId: id, businessKey: `BK-${id}`, variables: { key: 'k1', amount: 500, limit: 100 } },
      });
      expect(started.status).toBe(201);
      const listed = await t().request('GET', `/api/bpm/instances?processId=${id}&state=active`, {
        cookie: t().admin.cookie,
      });
      expect(listed.body.items).toMatchObject([
        { id: started.body.id, businessKey: `BK-${id}`, state: 'active', version: 1 },
      ]);

      const user = await t().createUser(['sales_head']);
      const denied = await t().request('PUT', `/api/bpm/instances/${started.body.id}/variables`, {
        cookie: user.cookie,
        body: { variables: { limit: 1000 } },
      });
      expect(denied.status).toBe(403);
      const changed = await t().request('PUT', `/api/bpm/instances/${started.body.id}/variables`, {
        cookie: t().admin.cookie,
        body: { variables: { limit: 1000 } },
      });
      expect(changed.status).toBe(200);
      expect(changed.body.variables).toEqual({ key: 'k1', amount: 500, limit: 1000 });
      const audit = await t()
        .db.selectFrom('core_audit_log')
        .select(['before', 'after'])
        .where('action', '=', 'bpm.setVariables')
        .where('entity_id', '=', started.body.id)
        .executeTakeFirstOrThrow();
      expect(audit.before).toMatchObject({ variables: { limit: 100 } });

      const hit = await t().request('POST', '/api/bpm/messages', {
        cookie: t().admin.cookie,
        body: { name, correlationKey: 'k1', variables: { approved: true } },
      });
      expect(hit.body.instanceState).toBe('completed');
      expect(visited(await instance(t(), started.body.id))).toEqual(['start', 'wait', 'ok', 'yes']);
    });

    it('non-interrupting timer boundary: a reminder path starts, the task keeps waiting', async () => {
      const id = pid('remind');
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" /><bpmn:userTask id="approve"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=owner" /></bpmn:extensionElements></bpmn:userTask>
          <bpmn:boundaryEvent id="remind" attachedToRef="approve" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
          <bpmn:scriptTask id="note"><bpmn:extensionElements><zeebe:script expression="=true" resultVariable="reminded" /></bpmn:extensionElements></bpmn:scriptTask>
          <bpmn:endEvent id="remindedEnd" /><bpmn:endEvent id="end" />
          ${flow('f0', 'start', 'approve')}${flow('f1', 'approve', 'end')}${chain(['remind', 'note', 'remindedEnd'], 'r')}`,
        ),
      );
      const started = await start(t(), id, { owner: t().admin.email });
      await runDueJobs(t().suite.registry, { now: new Date(Date.now() + 2 * 3600_000) });
      const waiting = await instance(t(), started.id);
      expect(waiting.state).toBe('active');
      expect(waiting.variables.reminded).toBe(true);
      expect(waiting.activeElements.map((e) => e.elementId)).toEqual(['approve']);
      const [task] = await tasksOf(t(), started.id);
      const done = await t().request('POST', `/api/bpm/tasks/${task?.id}/complete`, {
        cookie: t().admin.cookie,
        body: {},
      });
      expect(done.body.instanceState).toBe('completed');
    });

    it('event-based gateway: the first of a message and a timer wins, the other wait goes', async () => {
      const id = pid('race');
      const name = `answer_${id}`;
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" /><bpmn:eventBasedGateway id="race" />
          <bpmn:intermediateCatchEvent id="answer"><bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>
          <bpmn:intermediateCatchEvent id="timeout"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
          <bpmn:endEvent id="answered" /><bpmn:endEvent id="expired" />
          ${flow('f0', 'start', 'race')}${flow('f1', 'race', 'answer')}${flow('f2', 'race', 'timeout')}
          ${flow('f3', 'answer', 'answered')}${flow('f4', 'timeout', 'expired')}`,
          `<bpmn:message id="m" name="${name}"><bpmn:extensionElements><zeebe:subscription correlationKey="=ticket" /></bpmn:extensionElements></bpmn:message>`,
        ),
      );
      const a = await start(t(), id, { ticket: 'T-1' });
      const b = await start(t(), id, { ticket: 'T-2' });
      const hit = await t().request('POST', '/api/bpm/messages', {
        cookie: t().admin.cookie,
        body: { name, correlationKey: 'T-1', variables: { reply: 'yes' } },
      });
      expect(hit.body.instanceState).toBe('completed');
      await runDueJobs(t().suite.registry, { now: new Date(Date.now() + 2 * 86_400_000) });
      const va = await instance(t(), a.id);
      expect(visited(va)).toEqual(['start', 'race', 'answer', 'answered']);
      expect(va.variables.reply).toBe('yes');
      const vb = await instance(t(), b.id);
      expect(visited(vb)).toEqual(['start', 'race', 'timeout', 'expired']);
      const late = await t().request('POST', '/api/bpm/messages', {
        cookie: t().admin.cookie,
        body: { name, correlationKey: 'T-2' },
      });
      expect(late.status).toBe(404);
      const left = await t()
        .db.selectFrom('bpm_jobs')
        .select('id')
        .where('instance_id', 'in', [a.id, b.id])
        .execute();
      expect(left).toEqual([]);
    });

    it('interrupting message boundary on a user task cancels the task', async () => {
      const id = pid('msgboundary');
      const name = `withdrawn_${id}`;
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" /><bpmn:userTask id="review"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=owner" /></bpmn:extensionElements></bpmn:userTask>
          <bpmn:boundaryEvent id="withdrawn" attachedToRef="review"><bpmn:messageEventDefinition messageRef="m" /></bpmn:boundaryEvent>
          <bpmn:endEvent id="reviewed" /><bpmn:endEvent id="stopped" />
          ${flow('f0', 'start', 'review')}${flow('f1', 'review', 'reviewed')}${flow('f2', 'withdrawn', 'stopped')}`,
          `<bpmn:message id="m" name="${name}"><bpmn:extensionElements><zeebe:subscription correlationKey="=requestId" /></bpmn:extensionElements></bpmn:message>`,
        ),
      );
      const started = await start(t(), id, { owner: t().admin.email, requestId: 'R-9' });
      const hit = await t().request('POST', '/api/bpm/messages', {
        cookie: t().admin.cookie,
        body: { name, correlationKey: 'R-9' },
      });
      expect(hit.body.instanceState).toBe('completed');
      const view = await instance(t(), started.id);
      expect(view.history.map((h) => [h.elementId, h.state])).toEqual([
        ['start', 'completed'],
        ['review', 'terminated'],
        ['withdrawn', 'completed'],
        ['stopped', 'completed'],
      ]);
      expect(await tasksOf(t(), started.id)).toEqual([]);
    });

    it('signals: POST /signals broadcasts; a thrown signal reaches every catch through the outbox', async () => {
      const id = pid('sigcatch');
      const name = `stop_${id}`;
      const signalDef = `<bpmn:signal id="sig" name="${name}" />`;
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" /><bpmn:intermediateCatchEvent id="wait"><bpmn:signalEventDefinition signalRef="sig" /></bpmn:intermediateCatchEvent>
          <bpmn:endEvent id="end" />${chain(['start', 'wait', 'end'])}`,
          signalDef,
        ),
      );
      const thrower = pid('sigthrow');
      await deployOk(
        t(),
        bpmn(
          thrower,
          `<bpmn:startEvent id="start" /><bpmn:endEvent id="shout"><bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=reason" target="why" /></zeebe:ioMapping></bpmn:extensionElements><bpmn:signalEventDefinition signalRef="sig" /></bpmn:endEvent>
          ${flow('f1', 'start', 'shout')}`,
          signalDef,
        ),
      );
      const a = await start(t(), id);
      const b = await start(t(), id);
      const sent = await t().request('POST', '/api/bpm/signals', {
        cookie: t().admin.cookie,
        body: { name, variables: { n: 1 } },
      });
      expect(sent.status).toBe(200);
      expect(sent.body).toEqual({ caught: 2, startedInstanceIds: [] });
      for (const x of [a, b])
        expect(await instance(t(), x.id)).toMatchObject({ state: 'completed', variables: { n: 1 } });
      const none = await t().request('POST', '/api/bpm/signals', {
        cookie: t().admin.cookie,
        body: { name },
      });
      expect(none.body).toEqual({ caught: 0, startedInstanceIds: [] });

      const c = await start(t(), id);
      const thrown = await start(t(), thrower, { reason: 'audit' });
      expect(thrown.state).toBe('completed');
      await t().suite.dispatcher.drain();
      expect(await instance(t(), c.id)).toMatchObject({ state: 'completed', variables: { why: 'audit' } });
    });

    it('inclusive join waits only for the branches that were taken and can still arrive', async () => {
      const id = pid('orjoin');
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" /><bpmn:inclusiveGateway id="fork" default="toNone" />
          <bpmn:userTask id="mail"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=owner" /></bpmn:extensionElements></bpmn:userTask>
          <bpmn:userTask id="sms"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=owner" /></bpmn:extensionElements></bpmn:userTask>
          <bpmn:task id="none" /><bpmn:inclusiveGateway id="join" />
          <bpmn:scriptTask id="after"><bpmn:extensionElements><zeebe:script expression="=joined + 1" resultVariable="joined" /></bpmn:extensionElements></bpmn:scriptTask>
          <bpmn:endEvent id="end" />
          ${flow('f0', 'start', 'fork')}${flow('toMail', 'fork', 'mail', '=list contains(channels, "mail")')}
          ${flow('toSms', 'fork', 'sms', '=list contains(channels, "sms")')}${flow('toNone', 'fork', 'none')}
          ${flow('j1', 'mail', 'join')}${flow('j2', 'sms', 'join')}${flow('j3', 'none', 'join')}${chain(['join', 'after', 'end'], 'z')}`,
        ),
      );
      const owner = { owner: t().admin.email, joined: 0 };
      const complete = async (instanceId: string, elementId: string) => {
        const task = (await tasksOf(t(), instanceId)).find((x) => x.elementId === elementId);
        const done = await t().request('POST', `/api/bpm/tasks/${task?.id}/complete`, {
          cookie: t().admin.cookie,
          body: {},
        });
        return done.body.instanceState as string;
      };
      const both = await start(t(), id, { ...owner, channels: ['mail', 'sms'] });
      expect(await complete(both.id, 'sms')).toBe('active');
      expect((await instance(t(), both.id)).activeElements.map((e) => e.elementId).sort()).toEqual([
        'join',
        'mail',
      ]);
      expect(await complete(both.id, 'mail')).toBe('completed');
      expect((await instance(t(), both.id)).variables.joined).toBe(1);

      const one = await start(t(), id, { ...owner, channels: ['mail'] });
      expect(await complete(one.id, 'mail')).toBe('completed');
      expect((await instance(t(), one.id)).variables.joined).toBe(1);

      const neither = await start(t(), id, { ...owner, channels: [] });
      expect(neither.state).toBe('completed');
      expect((await instance(t(), neither.id)).variables.joined).toBe(1);
    });

    it('multi-instance: parallel over a FEEL collection with an output collection; sequential with a completion condition', async () => {
      const id = pid('multi');
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" />
          <bpmn:scriptTask id="price"><bpmn:extensionElements><zeebe:script expression="=line.qty * line.price" resultVariable="amount" /></bpmn:extensionElements>
            <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=lines" inputElement="line" outputCollection="amounts" outputElement="=amount" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
          </bpmn:scriptTask>
          <bpmn:userTask id="approve"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=approver" /></bpmn:extensionElements>
            <bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=approvers" inputElement="approver" outputCollection="votes" outputElement="=approved" /></bpmn:extensionElements>
              <bpmn:completionCondition xsi:type="bpmn:tFormalExpression">=approved = false</bpmn:completionCondition>
            </bpmn:multiInstanceLoopCharacteristics>
          </bpmn:userTask>
          <bpmn:endEvent id="end" />${chain(['start', 'price', 'approve', 'end'])}`,
        ),
      );
      const a = await t().createUser(['employee']);
      const b = await t().createUser(['employee']);
      const c = await t().createUser(['employee']);
      const started = await start(t(), id, {
        lines: [
          { qty: 2, price: 5 },
          { qty: 1, price: 7 },
          { qty: 3, price: 1 },
        ],
        approvers: [a.email, b.email, c.email],
      });
      const view = await instance(t(), started.id);
      expect(view.variables.amounts).toEqual([10, 7, 3]);
      expect(view.history.filter((h) => h.elementId === 'price')).toHaveLength(4); // the body and three instances

      const vote = async (user: { cookie: string }, approved: boolean) => {
        const [task] = await tasksOf(t(), started.id, user.cookie);
        expect(task?.elementId).toBe('approve');
        const done = await t().request('POST', `/api/bpm/tasks/${task?.id}/complete`, {
          cookie: user.cookie,
          body: { variables: { approved } },
        });
        return done.body.instanceState as string;
      };
      expect(await tasksOf(t(), started.id, b.cookie)).toEqual([]); // sequential: one at a time
      expect(await vote(a, true)).toBe('active');
      expect(await vote(b, false)).toBe('completed'); // the completion condition ends it before c
      expect(await tasksOf(t(), started.id, c.cookie)).toEqual([]);
      expect((await instance(t(), started.id)).variables.votes).toEqual([true, false, null]);
    });

    it('error end event inside a sub-process is caught by the boundary with its code', async () => {
      const id = pid('errend');
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" />
          <bpmn:subProcess id="sub"><bpmn:startEvent id="s0" /><bpmn:exclusiveGateway id="ok" default="fine" />
            <bpmn:endEvent id="bad"><bpmn:errorEventDefinition errorRef="e1" /></bpmn:endEvent><bpmn:endEvent id="good" />
            ${flow('s1', 's0', 'ok')}${flow('toBad', 'ok', 'bad', '=amount &gt; 100')}${flow('fine', 'ok', 'good')}
          </bpmn:subProcess>
          <bpmn:boundaryEvent id="tooMuch" attachedToRef="sub"><bpmn:errorEventDefinition errorRef="e1" /></bpmn:boundaryEvent>
          <bpmn:endEvent id="done" /><bpmn:endEvent id="refused" />
          ${flow('f0', 'start', 'sub')}${flow('f1', 'sub', 'done')}${flow('f2', 'tooMuch', 'refused')}`,
          '<bpmn:error id="e1" errorCode="LIMIT_EXCEEDED" />',
        ),
      );
      const big = await instance(t(), (await start(t(), id, { amount: 500 })).id);
      expect(big.state).toBe('completed');
      expect(visited(big).slice(-2)).toEqual(['tooMuch', 'refused']);
      const small = await instance(t(), (await start(t(), id, { amount: 5 })).id);
      expect(visited(small).slice(-1)).toEqual(['done']);
    });

    it('a FEEL failure opens an incident on its element', async () => {
      const id = pid('feelfail');
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" /><bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>=delay</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
          <bpmn:endEvent id="end" />${chain(['start', 'wait', 'end'])}`,
        ),
      );
      const started = await start(t(), id, { delay: 'soon' });
      expect(started.state).toBe('failed');
      const view = await instance(t(), started.id);
      expect(view.incidents).toMatchObject([{ elementId: 'wait', code: 'FEEL_ERROR' }]);
      expect(view.incidents[0]?.message).toMatch(/"soon" is not an ISO 8601 duration/);
    });
  },
  { modules: [bpmTestModule] },
);
