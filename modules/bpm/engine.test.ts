import { expect, it } from 'vitest';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { runDueJobs } from './jobs.js';
import {
  bpmn,
  bpmTestModule,
  chain,
  deployOk,
  flow,
  instance,
  pid,
  probe,
  start,
  tasksOf,
  userTask,
} from './test-helpers.js';

const later = (ms: number) => new Date(Date.now() + ms);
const visited = (view: { history: { elementId: string }[] }) => view.history.map((h) => h.elementId);

describeEachBackend(
  'bpm engine',
  (t) => {
    it('runs none start -> none end to completed, with history', async () => {
      const id = pid('straight');
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" /><bpmn:task id="t1" /><bpmn:endEvent id="end" />${chain(['start', 't1', 'end'])}`,
        ),
      );
      const started = await start(t(), id);
      expect(started.state).toBe('completed');
      const view = await instance(t(), started.id);
      expect(visited(view)).toEqual(['start', 't1', 'end']);
      expect(view.history.every((h) => h.endedAt !== null)).toBe(true);
      expect(view.activeElements).toEqual([]);
    });

    it('exclusive gateway: the first true FEEL condition, else the default flow', async () => {
      const id = pid('xor');
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" /><bpmn:exclusiveGateway id="xor" default="toSmall" />
          <bpmn:task id="big" /><bpmn:task id="small" /><bpmn:endEvent id="end" />
          ${flow('f0', 'start', 'xor')}${flow('toBig', 'xor', 'big', '=amount &gt; 100')}${flow('toSmall', 'xor', 'small')}
          ${flow('f1', 'big', 'end')}${flow('f2', 'small', 'end')}`,
        ),
      );
      expect(visited(await instance(t(), (await start(t(), id, { amount: 500 })).id))).toContain('big');
      expect(visited(await instance(t(), (await start(t(), id, { amount: 5 })).id))).toContain('small');
      // a missing variable is null in FEEL: the condition is not true, the default is taken
      expect(visited(await instance(t(), (await start(t(), id)).id))).toContain('small');
    });

    it('exclusive gateway without a true condition and without default opens an incident', async () => {
      const id = pid('nopath');
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" /><bpmn:exclusiveGateway id="xor" /><bpmn:endEvent id="a" /><bpmn:endEvent id="b" />
          ${flow('f0', 'start', 'xor')}${flow('fa', 'xor', 'a', '=x = 1')}${flow('fb', 'xor', 'b', '=x = 2')}`,
        ),
      );
      const started = await start(t(), id, { x: 3 });
      expect(started.state).toBe('failed');
      const view = await instance(t(), started.id);
      expect(view.incidents).toMatchObject([{ elementId: 'xor', code: 'NO_PATH', state: 'open' }]);
    });

    it('script task: FEEL zeebe:script into its result variable; io mapping of inputs and outputs', async () => {
      const id = pid('script');
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" />
          <bpmn:scriptTask id="calc"><bpmn:extensionElements>
            <zeebe:script expression="=sum(for l in lines return l.qty * l.price) * rate" resultVariable="total" />
            <zeebe:ioMapping><zeebe:input source="=1.12" target="rate" /><zeebe:output source="=total" target="orderTotal" /></zeebe:ioMapping>
          </bpmn:extensionElements></bpmn:scriptTask>
          <bpmn:endEvent id="end" />${chain(['start', 'calc', 'end'])}`,
        ),
      );
      const started = await start(t(), id, {
        lines: [
          { qty: 2, price: 50 },
          { qty: 1, price: 100 },
        ],
      });
      expect(started.state).toBe('completed');
      const view = await instance(t(), started.id);
      expect(view.variables.orderTotal).toBeCloseTo(224);
      // `rate` and `total` were local to the task
      expect(view.variables).not.toHaveProperty('rate');
      expect(view.variables).not.toHaveProperty('total');
    });

    it('parallel gateway: fork and a join that fires once when both branches complete', async () => {
      const id = pid('and');
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" /><bpmn:parallelGateway id="fork" />
          ${userTask('a', 'assignee="=owner"')}${userTask('b', 'assignee="=owner"')}
          <bpmn:parallelGateway id="join" /><bpmn:endEvent id="end" />
          ${flow('f0', 'start', 'fork')}${flow('fa', 'fork', 'a')}${flow('fb', 'fork', 'b')}
          ${flow('ja', 'a', 'join')}${flow('jb', 'b', 'join')}${flow('f9', 'join', 'end')}`,
        ),
      );
      const started = await start(t(), id, { owner: t().admin.email });
      const tasks = await tasksOf(t(), started.id);
      expect(tasks.map((x) => x.elementId).sort()).toEqual(['a', 'b']);
      const first = await t().request('POST', `/api/bpm/tasks/${tasks[0]?.id}/complete`, {
        cookie: t().admin.cookie,
        body: {},
      });
      expect(first.body.instanceState).toBe('active');
      const second = await t().request('POST', `/api/bpm/tasks/${tasks[1]?.id}/complete`, {
        cookie: t().admin.cookie,
        body: {},
      });
      expect(second.body.instanceState).toBe('completed');
      const view = await instance(t(), started.id);
      expect(visited(view).filter((e) => e === 'end')).toHaveLength(1);
    });

    it('parallel join: branches completed concurrently in separate transactions join exactly once', async () => {
      const id = pid('race');
      const n = 4;
      const branches = Array.from({ length: n }, (_, i) => `b${i}`);
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" /><bpmn:parallelGateway id="fork" /><bpmn:parallelGateway id="join" />
          <bpmn:scriptTask id="after"><bpmn:extensionElements><zeebe:script expression="=count + 1" resultVariable="count" /></bpmn:extensionElements></bpmn:scriptTask>
          <bpmn:endEvent id="end" />
          ${branches.map((b) => userTask(b, 'candidateGroups="warehouse"')).join('')}
          ${flow('f0', 'start', 'fork')}${branches.map((b) => flow(`in_${b}`, 'fork', b) + flow(`out_${b}`, b, 'join')).join('')}
          ${chain(['join', 'after', 'end'], 'z')}`,
        ),
      );
      const worker = await t().createUser(['warehouse']);
      for (let round = 0; round < 3; round++) {
        const started = await start(t(), id, { count: 0 });
        const tasks = await tasksOf(t(), started.id, worker.cookie);
        expect(tasks).toHaveLength(n);
        const results = await Promise.all(
          tasks.map((task) =>
            t().request('POST', `/api/bpm/tasks/${task.id}/complete`, {
              cookie: worker.cookie,
              body: { variables: {} },
            }),
          ),
        );
        expect(results.map((r) => r.status)).toEqual(Array(n).fill(200));
        const view = await instance(t(), started.id);
        expect(view.state).toBe('completed');
        expect(view.variables.count).toBe(1);
        expect(visited(view).filter((e) => e === 'after')).toHaveLength(1);
        expect(view.history.filter((h) => h.elementId === 'join')).toHaveLength(n);
        expect(view.activeElements).toEqual([]);
      }
    });

    it('terminate end event ends every other token of the process', async () => {
      const id = pid('terminate');
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" /><bpmn:parallelGateway id="fork" />${userTask('wait', 'assignee="nobody@test.uz"')}
          <bpmn:endEvent id="kill"><bpmn:terminateEventDefinition /></bpmn:endEvent><bpmn:endEvent id="end" />
          ${flow('f0', 'start', 'fork')}${flow('f1', 'fork', 'wait')}${flow('f2', 'fork', 'kill')}${flow('f3', 'wait', 'end')}`,
        ),
      );
      const started = await start(t(), id);
      expect(started.state).toBe('completed');
      const view = await instance(t(), started.id);
      expect(view.history.find((h) => h.elementId === 'wait')?.state).toBe('terminated');
      const tasks = await t()
        .db.selectFrom('bpm_user_tasks')
        .select('state')
        .where('instance_id', '=', started.id)
        .execute();
      expect(tasks).toEqual([{ state: 'cancelled' }]);
    });

    it('embedded sub-process runs its own start to end, then the process moves on', async () => {
      const id = pid('sub');
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" />
          <bpmn:subProcess id="sub"><bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=10" target="local" /></zeebe:ioMapping></bpmn:extensionElements>
            <bpmn:startEvent id="s_start" />
            <bpmn:scriptTask id="s_calc"><bpmn:extensionElements><zeebe:script expression="=local * 2" resultVariable="result" /></bpmn:extensionElements></bpmn:scriptTask>
            <bpmn:endEvent id="s_end" />${chain(['s_start', 's_calc', 's_end'], 's')}
          </bpmn:subProcess>
          <bpmn:endEvent id="end" />${chain(['start', 'sub', 'end'])}`,
        ),
      );
      const started = await start(t(), id);
      expect(started.state).toBe('completed');
      const view = await instance(t(), started.id);
      expect(visited(view)).toEqual(['start', 'sub', 's_start', 's_calc', 's_end', 'end']);
      expect(view.variables.result).toBe(20);
      expect(view.variables).not.toHaveProperty('local');
    });

    it('timer catch: a job the poller fires when due', async () => {
      const id = pid('timer');
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" /><bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">=delay</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
          <bpmn:endEvent id="end" />${chain(['start', 'wait', 'end'])}`,
        ),
      );
      const started = await start(t(), id, { delay: 'PT1H' });
      expect(started.state).toBe('active');
      await runDueJobs(t().suite.registry);
      expect((await instance(t(), started.id)).state).toBe('active');
      await runDueJobs(t().suite.registry, { now: later(2 * 3600_000) });
      expect((await instance(t(), started.id)).state).toBe('completed');
    });

    it('interrupting timer boundary: the user task is cancelled and the timeout path taken', async () => {
      const id = pid('boundary');
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" />${userTask('approve', 'candidateGroups="sales_head"')}
          <bpmn:boundaryEvent id="timeout" attachedToRef="approve"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
          <bpmn:endEvent id="approved" /><bpmn:endEvent id="expired" />
          ${flow('f0', 'start', 'approve')}${flow('f1', 'approve', 'approved')}${flow('f2', 'timeout', 'expired')}`,
        ),
      );
      const started = await start(t(), id);
      const other = await start(t(), id);
      await runDueJobs(t().suite.registry, { now: later(3 * 3600_000) });
      const view = await instance(t(), started.id);
      expect(view.state).toBe('completed');
      expect(visited(view)).toEqual(['start', 'approve', 'timeout', 'expired']);
      expect(view.history.find((h) => h.elementId === 'approve')?.state).toBe('terminated');
      expect((await instance(t(), other.id)).state).toBe('completed');
      // a completed task removes its boundary timer
      const third = await start(t(), id);
      const head = await t().createUser(['sales_head']);
      const [task] = await tasksOf(t(), third.id, head.cookie);
      await t().request('POST', `/api/bpm/tasks/${task?.id}/complete`, { cookie: head.cookie, body: {} });
      const jobs = await t()
        .db.selectFrom('bpm_jobs')
        .select('id')
        .where('instance_id', '=', third.id)
        .execute();
      expect(jobs).toEqual([]);
      expect(visited(await instance(t(), third.id))).toEqual(['start', 'approve', 'approved']);
    });

    it('message catch correlates by name and key; nobody waiting is 404 MESSAGE_NOT_CORRELATED', async () => {
      const id = pid('message');
      const name = `paid_${id}`;
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" /><bpmn:intermediateCatchEvent id="wait"><bpmn:messageEventDefinition messageRef="msg" /></bpmn:intermediateCatchEvent>
          <bpmn:endEvent id="end" />${chain(['start', 'wait', 'end'])}`,
          `<bpmn:message id="msg" name="${name}"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements></bpmn:message>`,
        ),
      );
      const a = await start(t(), id, { orderId: 'A-1' });
      const b = await start(t(), id, { orderId: 'B-2' });
      const miss = await t().request('POST', '/api/bpm/messages', {
        cookie: t().admin.cookie,
        body: { name, correlationKey: 'C-3' },
      });
      expect(miss.status).toBe(404);
      expect(miss.body.error.code).toBe('MESSAGE_NOT_CORRELATED');
      const hit = await t().request('POST', '/api/bpm/messages', {
        cookie: t().admin.cookie,
        body: { name, correlationKey: 'B-2', variables: { paidAmount: 70 } },
      });
      expect(hit.status).toBe(200);
      expect(hit.body).toEqual({
        processInstanceId: b.id,
        instanceState: 'completed',
        startedInstanceIds: [],
      });
      expect((await instance(t(), b.id)).variables.paidAmount).toBe(70);
      expect((await instance(t(), a.id)).state).toBe('active');
      const again = await t().request('POST', '/api/bpm/messages', {
        cookie: t().admin.cookie,
        body: { name, correlationKey: 'B-2' },
      });
      expect(again.status).toBe(404);
    });

    it('cancel ends every token, task and timer', async () => {
      const id = pid('cancel');
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" />${userTask('t1', 'assignee="x@test.uz"')}<bpmn:endEvent id="end" />${chain(['start', 't1', 'end'])}`,
        ),
      );
      const started = await start(t(), id);
      const cancelled = await t().request('POST', `/api/bpm/instances/${started.id}/cancel`, {
        cookie: t().admin.cookie,
      });
      expect(cancelled.body).toEqual({ id: started.id, state: 'cancelled' });
      const view = await instance(t(), started.id);
      expect(view.activeElements).toEqual([]);
      const again = await t().request('POST', `/api/bpm/instances/${started.id}/cancel`, {
        cookie: t().admin.cookie,
      });
      expect(again.status).toBe(409);
      const user = await t().createUser(['warehouse']);
      const forbidden = await t().request('POST', `/api/bpm/instances/${started.id}/cancel`, {
        cookie: user.cookie,
      });
      expect(forbidden.status).toBe(403);
    });

    it('service task: a business error uncaught opens an incident; retry runs it again', async () => {
      const id = pid('incident');
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" />
          <bpmn:serviceTask id="call"><bpmn:extensionElements><zeebe:taskDefinition type="bpmtest.echo" />
            <zeebe:ioMapping><zeebe:input source="=n" target="n" /><zeebe:input source="=failWith" target="code" /></zeebe:ioMapping>
          </bpmn:extensionElements></bpmn:serviceTask>
          <bpmn:endEvent id="end" />${chain(['start', 'call', 'end'])}`,
        ),
      );
      const started = await start(t(), id, { n: 21, failWith: 'SOMETHING_WRONG' });
      expect(started.state).toBe('failed');
      const view = await instance(t(), started.id);
      expect(view.incidents).toMatchObject([{ elementId: 'call', code: 'SOMETHING_WRONG', state: 'open' }]);
      // fix the data the way an admin would, then retry (variables editing is left for later)
      await t()
        .db.updateTable('bpm_instances')
        .set({ variables: JSON.stringify({ n: 21, failWith: null }) })
        .where('id', '=', started.id)
        .execute();
      const retried = await t().request('POST', `/api/bpm/incidents/${view.incidents[0]?.id}/retry`, {
        cookie: t().admin.cookie,
      });
      expect(retried.status).toBe(200);
      expect(retried.body.instanceState).toBe('completed');
      expect((await instance(t(), started.id)).variables.doubled).toBe(42);
      const twice = await t().request('POST', `/api/bpm/incidents/${view.incidents[0]?.id}/retry`, {
        cookie: t().admin.cookie,
      });
      expect(twice.status).toBe(409);
    });

    it('service task: a technical failure is retried by jobs, then becomes an incident', async () => {
      const id = pid('retry');
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" />
          <bpmn:serviceTask id="call"><bpmn:extensionElements><zeebe:taskDefinition type="bpmtest.echo" /></bpmn:extensionElements></bpmn:serviceTask>
          <bpmn:endEvent id="end" />${chain(['start', 'call', 'end'])}`,
        ),
      );
      // fails once, then works: one retry job
      probe.technicalFailures = 1;
      const once = await start(t(), id, { n: 2 });
      expect(once.state).toBe('active');
      await runDueJobs(t().suite.registry, { now: later(60_000) });
      expect(await instance(t(), once.id)).toMatchObject({ state: 'completed', variables: { doubled: 4 } });
      // fails three times: an incident after the third attempt
      probe.technicalFailures = 3;
      const down = await start(t(), id, { n: 3 });
      await runDueJobs(t().suite.registry, { now: later(60_000) });
      await runDueJobs(t().suite.registry, { now: later(600_000) });
      const view = await instance(t(), down.id);
      expect(view.state).toBe('failed');
      expect(view.incidents).toMatchObject([
        { code: 'TECHNICAL_FAILURE', message: 'the remote system is down' },
      ]);
      expect(probe.technicalFailures).toBe(0);
      const retried = await t().request('POST', `/api/bpm/incidents/${view.incidents[0]?.id}/retry`, {
        cookie: t().admin.cookie,
      });
      expect(retried.body.instanceState).toBe('completed');
    });
  },
  { modules: [bpmTestModule] },
);
