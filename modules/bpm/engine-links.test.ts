// Link events (a throw jumps to the catch of the same name in its scope, checked at deploy), and
// send tasks and message throw/end events, which run a module action like a service task (Zeebe's
// job workers): the action's output is the task's result, a coded failure a BPMN error.
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { bpmn, bpmTestModule, chain, deploy, deployOk, flow, instance, pid, start } from './test-helpers.js';

const echo = (inputs: string) =>
  `<bpmn:extensionElements><zeebe:taskDefinition type="bpmtest.echo" /><zeebe:ioMapping>${inputs}</zeebe:ioMapping></bpmn:extensionElements>`;

const problems = (body: { error: { details: { problems: { elementId: string; message: string }[] } } }) =>
  body.error.details.problems.map((p) => `${p.elementId}: ${p.message}`);

describeEachBackend(
  'bpm engine, link events and message throws',
  (t) => {
    it('a link throw jumps to the catch of the same name, also inside a sub-process, and loops back', async () => {
      const id = pid('link');
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" /><bpmn:intermediateThrowEvent id="goA"><bpmn:linkEventDefinition name="A" /></bpmn:intermediateThrowEvent>
          <bpmn:intermediateCatchEvent id="atA"><bpmn:linkEventDefinition name="A" /></bpmn:intermediateCatchEvent>
          <bpmn:scriptTask id="inc"><bpmn:extensionElements><zeebe:script expression="=n + 1" resultVariable="n" /></bpmn:extensionElements></bpmn:scriptTask>
          <bpmn:exclusiveGateway id="more" default="done" /><bpmn:intermediateThrowEvent id="again"><bpmn:linkEventDefinition name="A" /></bpmn:intermediateThrowEvent>
          <bpmn:subProcess id="sub"><bpmn:startEvent id="s0" /><bpmn:intermediateThrowEvent id="sGo"><bpmn:linkEventDefinition name="A" /></bpmn:intermediateThrowEvent>
            <bpmn:intermediateCatchEvent id="sAt"><bpmn:linkEventDefinition name="A" /></bpmn:intermediateCatchEvent><bpmn:endEvent id="s9" />
            ${flow('s1', 's0', 'sGo')}${flow('s2', 'sAt', 's9')}</bpmn:subProcess>
          <bpmn:endEvent id="end" />
          ${flow('f1', 'start', 'goA')}${flow('f2', 'atA', 'inc')}${flow('f3', 'inc', 'more')}
          ${flow('loop', 'more', 'again', '=n &lt; 3')}${flow('done', 'more', 'sub')}${flow('f4', 'sub', 'end')}`,
        ),
      );
      const view = await instance(t(), (await start(t(), id, { n: 0 })).id);
      expect(view).toMatchObject({ state: 'completed', variables: { n: 3 } });
      const visited = view.history.map((h) => h.elementId);
      expect(visited.filter((e) => e === 'atA')).toHaveLength(3);
      expect(visited).toEqual(expect.arrayContaining(['sGo', 'sAt', 's9', 'end']));
    });

    it('refuses a link throw without its catch in the same scope, and two catches of one name', async () => {
      const refused = await deploy(
        t(),
        bpmn(
          pid('linkBad'),
          `<bpmn:startEvent id="start" /><bpmn:intermediateThrowEvent id="go"><bpmn:linkEventDefinition name="B" /></bpmn:intermediateThrowEvent>
          <bpmn:intermediateThrowEvent id="go2"><bpmn:linkEventDefinition name="C" /></bpmn:intermediateThrowEvent>
          <bpmn:intermediateCatchEvent id="c1"><bpmn:linkEventDefinition name="C" /></bpmn:intermediateCatchEvent>
          <bpmn:intermediateCatchEvent id="c2"><bpmn:linkEventDefinition name="C" /></bpmn:intermediateCatchEvent>
          <bpmn:subProcess id="sub"><bpmn:startEvent id="s0" /><bpmn:intermediateCatchEvent id="inner"><bpmn:linkEventDefinition name="B" /></bpmn:intermediateCatchEvent><bpmn:endEvent id="s9" />${flow('s1', 's0', 's9')}${flow('s2', 'inner', 's9')}</bpmn:subProcess>
          <bpmn:endEvent id="end" />${flow('f1', 'start', 'go')}${flow('f2', 'c1', 'end')}${flow('f3', 'c2', 'end')}`,
        ),
      );
      expect(refused.status).toBe(422);
      expect(problems(refused.body)).toEqual([
        'go: No link catch event named "B" in the same scope',
        'go2: 2 link catch events are named "C" in the same scope',
      ]);
    });

    it('send tasks and message throw and end events run their action; without a task type they are refused', async () => {
      const id = pid('send');
      await deployOk(
        t(),
        bpmn(
          id,
          `<bpmn:startEvent id="start" />
          <bpmn:sendTask id="notify">${echo('<zeebe:input source="=n" target="n" /><zeebe:output source="=doubled" target="a" />')}</bpmn:sendTask>
          <bpmn:intermediateThrowEvent id="tell">${echo('<zeebe:input source="=a" target="n" /><zeebe:output source="=doubled" target="b" />')}<bpmn:messageEventDefinition /></bpmn:intermediateThrowEvent>
          <bpmn:endEvent id="bye">${echo('<zeebe:input source="=b" target="n" /><zeebe:output source="=doubled" target="c" />')}<bpmn:messageEventDefinition /></bpmn:endEvent>
          ${chain(['start', 'notify', 'tell', 'bye'])}`,
        ),
      );
      expect(await instance(t(), (await start(t(), id, { n: 1 })).id)).toMatchObject({
        state: 'completed',
        variables: { a: 2, b: 4, c: 8 },
      });
      // A coded failure of the action is a BPMN error, as for a service task.
      const failing = pid('sendFail');
      await deployOk(
        t(),
        bpmn(
          failing,
          `<bpmn:startEvent id="start" /><bpmn:sendTask id="notify">${echo('<zeebe:input source="=&quot;MAIL_DOWN&quot;" target="code" />')}</bpmn:sendTask>
          <bpmn:boundaryEvent id="caught" attachedToRef="notify"><bpmn:errorEventDefinition errorRef="e" /></bpmn:boundaryEvent>
          <bpmn:endEvent id="end" /><bpmn:endEvent id="fallback" />${chain(['start', 'notify', 'end'])}${flow('x', 'caught', 'fallback')}`,
          '<bpmn:error id="e" errorCode="MAIL_DOWN" />',
        ),
      );
      const view = await instance(t(), (await start(t(), failing)).id);
      expect(view.history.map((h) => h.elementId)).toContain('fallback');

      const refused = await deploy(
        t(),
        bpmn(
          pid('sendBad'),
          `<bpmn:startEvent id="start" /><bpmn:sendTask id="notify" /><bpmn:intermediateThrowEvent id="tell"><bpmn:messageEventDefinition /></bpmn:intermediateThrowEvent>
          <bpmn:endEvent id="bye"><bpmn:messageEventDefinition /></bpmn:endEvent>${chain(['start', 'notify', 'tell', 'bye'])}`,
        ),
      );
      expect(problems(refused.body)).toEqual([
        'notify: A send task needs zeebe:taskDefinition with the type of a module action',
        'tell: A message throw event needs zeebe:taskDefinition with the type of a module action',
        'bye: A message end event needs zeebe:taskDefinition with the type of a module action',
      ]);
    });
  },
  { modules: [bpmTestModule] },
);
