// "A model drawn for Camunda 8 with the Zeebe extensions runs unchanged once its task types name
// our actions": the MIWG models with Zeebe extensions, with only the value of each
// zeebe:taskDefinition type changed to a test action, deploy, start and reach their first wait
// with no incident. (C.9.0 calls a DMN decision, which no action can stand for: refused.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { bpmTestModule, deploy, deployOk, instance, start } from './test-helpers.js';

const MIWG = join(process.cwd(), '..', 'shared', 'bpmn', 'miwg');
const bound = (file: string) =>
  readFileSync(join(MIWG, file), 'utf8').replace(/(zeebe:taskDefinition\s+type=")[^"]*"/g, '$1bpmtest.echo"');

const WAITING = new Set([
  'bpmn:UserTask',
  'bpmn:ReceiveTask',
  'bpmn:IntermediateCatchEvent',
  'bpmn:CallActivity',
]);

describeEachBackend(
  'MIWG Camunda 8 models run unchanged once their task types name actions',
  (t) => {
    // The variables a Camunda 8 client would start them with (their correlation keys).
    it.each([
      ['C.8.1.bpmn', 'VacationRequestProcess', {}],
      ['C.9.1.bpmn', 'requestDocument_en', { documentReferenceId: 'DOC-1' }],
      ['C.9.2.bpmn', 'ManualCheck', { documentReferenceId: 'DOC-2', fraudSuspectedId: 'F-2' }],
    ] as const)(
      '%s starts and runs to its first wait (or its end) with no incident',
      async (file, processId, variables) => {
        const deployed = await deployOk(t(), bound(file));
        expect(deployed.processes.map((p) => p.processId)).toContain(processId);
        const started = await start(t(), processId, { ...variables });
        const view = await instance(t(), started.id);
        expect(view.incidents).toEqual([]);
        expect(view.history.length).toBeGreaterThan(1);
        if (view.state === 'active') {
          expect(view.activeElements.length).toBeGreaterThan(0);
          for (const element of view.activeElements) expect(WAITING).toContain(element.elementType);
        } else expect(view.state).toBe('completed');
      },
    );

    it('C.9.0 is refused only for its DMN decision, named', async () => {
      const response = await deploy(t(), bound('C.9.0.bpmn'));
      expect(response.status).toBe(422);
      expect(response.body.error.details.problems).toEqual([
        expect.objectContaining({
          elementId: 'BusinessRuleTask_CheckApplicationAutomatically',
          message: expect.stringContaining('DMN'),
        }),
      ]);
    });
  },
  { modules: [bpmTestModule] },
);
