// The BPM API as the web pages use it: what /api/bpm answers, and small readers and writers.
import { ApiError, api, type ListQuery, type Page } from '../../app/api';
import { getLocale } from '../../i18n/i18n';

export const BPM = '/api/bpm';

/** A form-js schema: only its id and components matter to us; the rest goes to form-js as is. */
export type FormSchema = {
  id?: string;
  type?: string;
  components?: FormComponent[];
  [property: string]: unknown;
};

export type FormComponent = {
  id?: string;
  key?: string;
  type?: string;
  label?: string;
  validate?: { required?: boolean };
  components?: FormComponent[];
  [property: string]: unknown;
};

export type Variables = Record<string, unknown>;

/** A task as the inbox lists it. */
export type TaskSummary = {
  id: string;
  elementId: string;
  name: string | null;
  /** What the task is about, from its model; null without. */
  subject?: string | null;
  processInstanceId: string;
  processId: string;
  processName?: string | null;
  assignee: string | null;
  candidateGroups: string[];
  candidateUsers: string[];
  dueAt: string | null;
  createdAt: string;
  formId: string | null;
  overdue?: boolean;
};

/** A task opened: what it is about, its form and the variables the process mapped in. */
export type Task = TaskSummary & {
  state: 'active' | 'completed' | 'cancelled';
  businessKey?: string | null;
  form: FormSchema | null;
  variables: Variables;
};

export type CompleteResult = { id: string; processInstanceId: string; instanceState: string };

type TasksAnswer = { items: TaskSummary[]; total?: number };

/** One page of the caller's inbox; the server sorts it by due date. */
export async function listTasks(query: ListQuery, signal?: AbortSignal): Promise<Page<TaskSummary>> {
  const answer = await api<TasksAnswer>('GET', `${BPM}/tasks`, undefined, { query, signal });
  return { items: answer.items, total: answer.total ?? answer.items.length };
}

/** How many tasks wait in the caller's inbox. */
export async function countTasks(signal?: AbortSignal): Promise<number> {
  const answer = await api<TasksAnswer>('GET', `${BPM}/tasks`, undefined, { query: { limit: 0 }, signal });
  return answer.total ?? answer.items.length;
}

export function getTask(id: string, signal?: AbortSignal): Promise<Task> {
  return api<Task>('GET', `${BPM}/tasks/${encodeURIComponent(id)}`, undefined, { signal });
}

export function claimTask(id: string): Promise<unknown> {
  return api('POST', `${BPM}/tasks/${encodeURIComponent(id)}/claim`, {});
}

export function unclaimTask(id: string): Promise<unknown> {
  return api('POST', `${BPM}/tasks/${encodeURIComponent(id)}/unclaim`, {});
}

export function completeTask(id: string, variables: Variables): Promise<CompleteResult> {
  return api<CompleteResult>('POST', `${BPM}/tasks/${encodeURIComponent(id)}/complete`, { variables });
}

/** The open tasks of one instance that the caller may work on: the next step of a guided flow. */
export async function tasksOfInstance(instanceId: string): Promise<TaskSummary[]> {
  const answer = await api<TasksAnswer>('GET', `${BPM}/tasks`, undefined, {
    query: { processInstanceId: instanceId },
  });
  return answer.items;
}

// ---------- definitions and deployments ----------

export type Definition = {
  id: string;
  processId: string;
  version: number;
  name: string | null;
  deployedAt: string;
  activeInstances?: number;
  openIncidents?: number;
  /** The pages a person may start it from by hand (`hr.employee`, `crm.client`, `crm.deal`). */
  startFrom?: string[];
  /** The form filled in before it starts, or null. */
  startFormId?: string | null;
};

/** The pages that start processes, and the variables each passes: its record's id. */
export const START_CONTEXTS = ['hr.employee', 'crm.client', 'crm.deal', 'erp.writeOff'] as const;
export type StartContext = (typeof START_CONTEXTS)[number];

export type Problem = {
  elementId: string | null;
  elementType: string;
  name: string | null;
  message: string;
};

export type DeployResult = {
  /** `created` is false when the model was the same as the latest version (no new version). */
  processes: { processId: string; version: number; created?: boolean }[];
  forms?: { formId: string; version: number }[];
};

export async function listDefinitions(all: boolean, signal?: AbortSignal): Promise<Definition[]> {
  const answer = await api<{ items: Definition[] }>('GET', `${BPM}/definitions`, undefined, {
    query: { all: all ? 'true' : undefined },
    signal,
  });
  return answer.items;
}

/** The latest version of each process that may be started by hand from `context`. */
export async function startableDefinitions(
  context: StartContext,
  signal?: AbortSignal,
): Promise<Definition[]> {
  const answer = await api<{ items: Definition[] }>('GET', `${BPM}/definitions`, undefined, {
    query: { startFrom: context },
    signal,
  });
  // Checked here too: a server that does not know the filter answers every definition.
  return answer.items.filter((definition) => definition.startFrom?.includes(context));
}

export async function definitionXml(processId: string, version?: number): Promise<string> {
  const query = version ? `?version=${version}` : '';
  const response = await fetch(`${BPM}/definitions/${encodeURIComponent(processId)}/xml${query}`, {
    credentials: 'same-origin',
    headers: { Accept: 'application/xml', 'Accept-Language': getLocale() },
  });
  if (!response.ok)
    throw new ApiError(response.status, response.status === 404 ? 'NOT_FOUND' : 'INTERNAL', '');
  return response.text();
}

/**
 * Deploys a model: as XML alone, or as multipart with its forms (one `<formId>.form` part each).
 * A refused model throws ApiError BPMN_INVALID with `details.problems`.
 */
export async function deploy(
  xml: string,
  forms: FormSchema[],
  fileName = 'process.bpmn',
): Promise<DeployResult> {
  let body: BodyInit = xml;
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': getLocale() };
  if (forms.length === 0) headers['Content-Type'] = 'application/xml';
  else {
    const data = new FormData();
    data.append('file', new Blob([xml], { type: 'application/xml' }), fileName);
    for (const form of forms)
      data.append('form', new Blob([JSON.stringify(form)], { type: 'application/json' }), `${form.id}.form`);
    body = data;
  }
  let response: Response;
  try {
    response = await fetch(`${BPM}/deployments`, {
      method: 'POST',
      body,
      headers,
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'NETWORK', '');
  }
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (response.ok) return parsed as DeployResult;
  const error = (parsed as { error?: { code?: string; message?: string; details?: Record<string, unknown> } })
    ?.error;
  throw new ApiError(response.status, error?.code ?? 'INTERNAL', error?.message ?? '', error?.details ?? {});
}

/** The problems of a refused deployment, or none when the error is of another kind. */
export function problemsOf(error: unknown): Problem[] {
  if (!(error instanceof ApiError) || error.code !== 'BPMN_INVALID') return [];
  const problems = error.details.problems;
  return Array.isArray(problems) ? (problems as Problem[]) : [];
}

export type CatalogAction = {
  name: string;
  module: string;
  permission: string;
  input: JsonSchema;
  output: JsonSchema;
};

export type JsonSchema = {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
};

export async function actionCatalog(signal?: AbortSignal): Promise<CatalogAction[]> {
  const answer = await api<{ items: CatalogAction[] }>('GET', `${BPM}/action-catalog`, undefined, { signal });
  return answer.items;
}

export function getForm(
  formId: string,
  version?: number,
): Promise<{ formId: string; version: number; schema: FormSchema }> {
  return api('GET', `${BPM}/forms/${encodeURIComponent(formId)}`, undefined, { query: { version } });
}

// ---------- instances ----------

export const INSTANCE_STATES = ['active', 'completed', 'cancelled', 'failed'] as const;
export type InstanceState = (typeof INSTANCE_STATES)[number];

export type InstanceSummary = {
  id: string;
  processId: string;
  version: number;
  state: InstanceState;
  businessKey: string | null;
  startedAt: string;
  endedAt: string | null;
  openIncidents?: number;
};

export type Incident = {
  id: string;
  elementId: string;
  code?: string;
  message: string;
  state?: string;
  createdAt: string;
};

export type HistoryEntry = {
  id: string;
  elementId: string;
  elementType: string;
  state: string;
  startedAt: string;
  endedAt: string | null;
  actorId?: string | null;
  actor?: { id: string; name: string } | string | null;
};

export type Instance = InstanceSummary & {
  variables: Variables;
  activeElements: { elementId: string; elementType: string }[];
  incidents: Incident[];
  history: HistoryEntry[];
};

export type ElementStatistics = { elementId: string; active: number; incidents: number; completed: number };

export async function listInstances(query: ListQuery, signal?: AbortSignal): Promise<Page<InstanceSummary>> {
  const answer = await api<{ items: InstanceSummary[]; total?: number }>(
    'GET',
    `${BPM}/instances`,
    undefined,
    {
      query,
      signal,
    },
  );
  return { items: answer.items, total: answer.total ?? answer.items.length };
}

export function getInstance(id: string, signal?: AbortSignal): Promise<Instance> {
  return api<Instance>('GET', `${BPM}/instances/${encodeURIComponent(id)}`, undefined, { signal });
}

export function startInstance(
  processId: string,
  variables: Variables,
): Promise<{ id: string; state: InstanceState }> {
  return api('POST', `${BPM}/instances`, { processId, variables });
}

export function cancelInstance(id: string): Promise<unknown> {
  return api('POST', `${BPM}/instances/${encodeURIComponent(id)}/cancel`, {});
}

export function retryIncident(id: string): Promise<unknown> {
  return api('POST', `${BPM}/incidents/${encodeURIComponent(id)}/retry`, {});
}

export async function statistics(processId: string, version: number): Promise<ElementStatistics[]> {
  const answer = await api<{ items: ElementStatistics[] }>(
    'GET',
    `${BPM}/definitions/${encodeURIComponent(processId)}/statistics`,
    undefined,
    { query: { version } },
  );
  return answer.items;
}
