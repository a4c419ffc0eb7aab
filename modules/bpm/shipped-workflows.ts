// The processes that ship in workflows/: deployed on a server's first start (with the forms their
// user tasks name), brought up to date by later releases, and never over a version a person
// has deployed since.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYSTEM_ACTOR } from '../../server/core/module.js';
import type { Registry } from '../../server/core/registry.js';

/** Calls an action with the caller's rights: an action context's `call`, or the system's. */
export type CallAction = <T = unknown>(name: string, input: unknown) => Promise<T>;

/** The registry's actions called as the system (server start-up). */
export const systemCaller =
  (registry: Registry): CallAction =>
  <T = unknown>(name: string, input: unknown) =>
    registry.call(name, input, { actor: SYSTEM_ACTOR }) as Promise<T>;

export type ShippedWorkflow = { file: string; processIds: string[]; xml: string; forms: string[] };

const processIdsOf = (xml: string) =>
  [...xml.matchAll(/<bpmn:process\b[^>]*\bid="([^"]+)"/g)].map((m) => m[1] ?? '');
const formIdsOf = (xml: string) =>
  [...xml.matchAll(/<zeebe:formDefinition\b[^>]*\bformId="([^"]+)"/g)].map((m) => m[1] ?? '');

/** Every .bpmn of the folder with the .form files (by their `id`) its user tasks name. */
export function readShippedWorkflows(dir: string): ShippedWorkflow[] {
  const files = readdirSync(dir).sort();
  const forms = new Map<string, string>();
  for (const file of files.filter((f) => f.endsWith('.form'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    const id = (JSON.parse(text) as { id?: unknown }).id;
    if (typeof id !== 'string') throw new Error(`${file} has no form id`);
    forms.set(id, text);
  }
  return files
    .filter((f) => f.endsWith('.bpmn'))
    .map((file) => {
      const xml = readFileSync(join(dir, file), 'utf8');
      const wanted = [...new Set(formIdsOf(xml))];
      const missing = wanted.filter((id) => !forms.has(id));
      if (missing.length > 0)
        throw new Error(`${file} names forms that are not shipped: ${missing.join(', ')}`);
      return { file, processIds: processIdsOf(xml), xml, forms: wanted.map((id) => forms.get(id) ?? '') };
    });
}

type Deployed = { processes: { created: boolean }[] };

/**
 * Deploys each shipped workflow whose processes have no version yet (`installed`), and a new
 * version of one whose latest versions all came from a shipped file before and differ from it
 * now (`updated`: a release's fixes and texts reach servers that run it as shipped). A process
 * whose latest version a person deployed (modelled or uploaded here) is left alone (`skipped`,
 * like one already up to date): a shipped file never replaces what was modelled on this server.
 */
export async function installShippedWorkflows(
  call: CallAction,
  dir: string,
): Promise<{ installed: string[]; updated: string[]; skipped: string[] }> {
  const existing = await call<{ items: { processId: string; deployedBy: string | null }[] }>(
    'bpm.listDefinitions',
    {},
  );
  const latest = new Map(existing.items.map((d) => [d.processId, d]));
  const installed: string[] = [];
  const updated: string[] = [];
  const skipped: string[] = [];
  for (const workflow of readShippedWorkflows(dir)) {
    const versions = workflow.processIds.map((id) => latest.get(id));
    const fresh = versions.some((v) => v === undefined);
    if (!fresh && versions.some((v) => v?.deployedBy !== null)) {
      skipped.push(workflow.file);
      continue;
    }
    // Deploying what is already the latest version creates nothing (the same hash).
    const deployed = await call<Deployed>('bpm.deploy', { xml: workflow.xml, forms: workflow.forms });
    if (fresh) installed.push(workflow.file);
    else if (deployed.processes.some((p) => p.created)) updated.push(workflow.file);
    else skipped.push(workflow.file);
  }
  return { installed, updated, skipped };
}
