// What the engine leaves out is refused at deploy, each with a problem naming the element:
// compensation, transaction sub-processes (and their cancel events), complex gateways, standard
// loops, conditional events, ad-hoc sub-processes.
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { bpmn, deploy, flow, pid } from './test-helpers.js';

describeEachBackend('bpm deploy refuses what is left out', (t) => {
  it('names every element it cannot execute, and deploys nothing of the model', async () => {
    const id = pid('leftOut');
    const refused = await deploy(
      t(),
      bpmn(
        id,
        `<bpmn:startEvent id="start" /><bpmn:task id="work" />
        <bpmn:boundaryEvent id="compensate" attachedToRef="work"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>
        <bpmn:task id="undo" isForCompensation="true" />
        <bpmn:intermediateThrowEvent id="throwCompensation"><bpmn:compensateEventDefinition /></bpmn:intermediateThrowEvent>
        <bpmn:transaction id="tx"><bpmn:startEvent id="t0" /><bpmn:endEvent id="cancelEnd"><bpmn:cancelEventDefinition /></bpmn:endEvent>${flow('t1', 't0', 'cancelEnd')}</bpmn:transaction>
        <bpmn:complexGateway id="complex" />
        <bpmn:task id="looped"><bpmn:standardLoopCharacteristics /></bpmn:task>
        <bpmn:intermediateCatchEvent id="whenCondition"><bpmn:conditionalEventDefinition><bpmn:condition xsi:type="bpmn:tFormalExpression">=x &gt; 1</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:intermediateCatchEvent>
        <bpmn:boundaryEvent id="conditionalBoundary" attachedToRef="work"><bpmn:conditionalEventDefinition /></bpmn:boundaryEvent>
        <bpmn:adHocSubProcess id="adhoc" />
        <bpmn:endEvent id="end" />
        ${flow('f1', 'start', 'work')}${flow('f2', 'work', 'complex')}${flow('f3', 'complex', 'end')}`,
      ),
    );
    expect(refused.status).toBe(422);
    const byElement = Object.fromEntries(
      (refused.body.error.details.problems as { elementId: string; message: string }[]).map((p) => [
        p.elementId,
        p.message,
      ]),
    );
    expect(byElement).toMatchObject({
      compensate: expect.stringContaining('CompensateEventDefinition is not supported'),
      undo: 'Compensation is not supported yet',
      throwCompensation: expect.stringContaining('CompensateEventDefinition is not supported'),
      tx: 'The element Transaction is not supported yet',
      complex: 'The element ComplexGateway is not supported yet',
      looped: 'Standard loops are not supported yet; use multi-instance',
      whenCondition: expect.stringContaining('ConditionalEventDefinition is not supported'),
      conditionalBoundary: expect.stringContaining('ConditionalEventDefinition is not supported'),
      adhoc: 'The element AdHocSubProcess is not supported yet',
    });
    const definitions = await t().request('GET', '/api/bpm/definitions', { cookie: t().admin.cookie });
    expect(definitions.body.items.map((d: { processId: string }) => d.processId)).not.toContain(id);
  });
});
