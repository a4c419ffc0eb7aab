import { expect, it } from 'vitest';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { runDueJobs, startBpmJobs } from './jobs.js';
import { bpmn, bpmTestModule, chain, deployOk, flow, instance, pid, start } from './test-helpers.js';

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
