// Helpers for the BPM tests: small models written inline, deploy, start and read instances.
import { z } from 'zod';
import { AppError } from '../../server/core/errors.js';
import { actionsOf, defineModule } from '../../server/core/module.js';
import type { TestSuite } from '../../server/testing/test-suite.js';

let counter = 0;
/** A process id unique in this run. */
export const pid = (name: string) => `${name}_${process.pid}_${++counter}`;

/** A BPMN document with one executable process; `extra` goes before it (messages, errors). */
export function bpmn(id: string, body: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  id="defs_${id}" targetNamespace="http://example.com/bpmn">
  ${extra}
  <bpmn:process id="${id}" name="Test ${id}" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`;
}

export const flow = (id: string, from: string, to: string, condition?: string) =>
  condition === undefined
    ? `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`
    : `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${condition}</bpmn:conditionExpression></bpmn:sequenceFlow>`;

/** A chain of flows start -> a -> b -> ... named f1, f2, ... (prefix to keep ids unique). */
export const chain = (ids: string[], prefix = 'f') =>
  ids
    .slice(1)
    .map((to, i) => flow(`${prefix}${i + 1}`, ids[i] ?? '', to))
    .join('');

export const userTask = (id: string, assignment = '', extra = '') =>
  `<bpmn:userTask id="${id}" name="${id}"><bpmn:extensionElements>${
    assignment ? `<zeebe:assignmentDefinition ${assignment} />` : ''
  }${extra}</bpmn:extensionElements></bpmn:userTask>`;

export async function deploy(t: TestSuite, xml: string, cookie = t.admin.cookie) {
  return t.request('POST', '/api/bpm/deployments', {
    cookie,
    headers: { 'content-type': 'application/xml' },
    body: xml,
  });
}

export async function deployOk(t: TestSuite, xml: string) {
  const response = await deploy(t, xml);
  if (response.status !== 201) throw new Error(`deploy: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { processes: { processId: string; version: number; created: boolean }[] };
}

export async function start(
  t: TestSuite,
  processId: string,
  variables: Record<string, unknown> = {},
  cookie = t.admin.cookie,
) {
  const response = await t.request('POST', '/api/bpm/instances', { cookie, body: { processId, variables } });
  if (response.status !== 201) throw new Error(`start: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; state: string };
}

export type InstanceView = {
  id: string;
  state: string;
  variables: Record<string, unknown>;
  activeElements: { elementId: string; elementType: string; state: string }[];
  incidents: { id: string; elementId: string; code: string; message: string; state: string }[];
  history: { elementId: string; state: string; startedAt: string; endedAt: string | null }[];
};

export async function instance(t: TestSuite, id: string): Promise<InstanceView> {
  const response = await t.request('GET', `/api/bpm/instances/${id}`, { cookie: t.admin.cookie });
  if (response.status !== 200)
    throw new Error(`instance: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function tasksOf(t: TestSuite, instanceId: string, cookie = t.admin.cookie) {
  const response = await t.request('GET', `/api/bpm/tasks?processInstanceId=${instanceId}`, { cookie });
  if (response.status !== 200) throw new Error(`tasks: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.items as {
    id: string;
    elementId: string;
    assignee: string | null;
    candidateGroups: string[];
  }[];
}

/** The test-only module: actions a service task can call that fail on demand. */
export const probe = { technicalFailures: 0, calls: 0 };
const defineAction = actionsOf<unknown>();
export const bpmTestModule = defineModule({
  name: 'bpmtest',
  migrations: {},
  permissions: [],
  actions: [
    defineAction({
      name: 'echo',
      description: 'Answers its input doubled, or fails: technically while probe.technicalFailures > 0.',
      permission: 'authenticated',
      write: false,
      input: z.object({ n: z.number().optional(), code: z.string().nullable().optional() }),
      output: z.object({ doubled: z.number() }),
      async run(_ctx, input) {
        probe.calls++;
        if (input.code) throw new AppError(422, input.code);
        if (probe.technicalFailures > 0) {
          probe.technicalFailures--;
          throw new Error('the remote system is down');
        }
        return { doubled: (input.n ?? 0) * 2 };
      },
    }),
  ],
});
