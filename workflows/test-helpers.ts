// What the shipped-workflow tests share: the workflows deployed as on a first start, and the
// inbox of a person as the web app reads it (the outbox drained first, as a server would).
import { join } from 'node:path';
import { expect, vi } from 'vitest';
import { installShippedWorkflows, systemCaller } from '../modules/bpm/shipped-workflows.js';
import type { TestSuite, TestUser } from '../server/testing/test-suite.js';

export type Task = { id: string; name: string; processInstanceId: string; dueAt: string | null };

export async function installWorkflows(t: TestSuite): Promise<void> {
  const result = await installShippedWorkflows(systemCaller(t.suite.registry), join(import.meta.dirname));
  expect(result.installed.length + result.updated.length + result.skipped.length).toBe(6);
}

export async function inbox(t: TestSuite, user: TestUser, processInstanceId?: string): Promise<Task[]> {
  await t.suite.dispatcher.drain();
  const query = processInstanceId ? `?processInstanceId=${processInstanceId}` : '';
  const response = await t.request('GET', `/api/bpm/tasks${query}`, { cookie: user.cookie });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.items;
}

/** The task of that name in the person's inbox, once the outbox and the engine got there. */
export function taskNamed(t: TestSuite, user: TestUser, name: string, instanceId?: string): Promise<Task> {
  return vi.waitFor(
    async () => {
      const task = (await inbox(t, user, instanceId)).find((x) => x.name === name);
      if (!task) throw new Error(`no "${name}" task for ${user.email} yet`);
      return task;
    },
    { timeout: 15_000, interval: 100 },
  );
}

export async function taskView(t: TestSuite, user: TestUser, taskId: string) {
  const response = await t.request('GET', `/api/bpm/tasks/${taskId}`, { cookie: user.cookie });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as {
    variables: Record<string, unknown>;
    form: { id: string } | null;
    dueAt: string | null;
  };
}

export async function complete(
  t: TestSuite,
  user: TestUser,
  taskId: string,
  variables: Record<string, unknown>,
) {
  const response = await t.request('POST', `/api/bpm/tasks/${taskId}/complete`, {
    cookie: user.cookie,
    body: { variables },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

export async function instanceOf(t: TestSuite, id: string) {
  const response = await t.request('GET', `/api/bpm/instances/${id}`, { cookie: t.admin.cookie });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as {
    state: string;
    variables: Record<string, unknown>;
    incidents: { message: string }[];
    history: { elementId: string }[];
  };
}
