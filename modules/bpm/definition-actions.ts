// Deployed definitions as the Processes pages read them: the list with running instances and
// open incidents, a version's BPMN XML, and per-element counts for the monitor's diagram.
import { z } from 'zod';
import { notFound } from '../../server/core/errors.js';
import { actionsOf } from '../../server/core/module.js';
import { type Ctx, loadProcess } from './engine.js';
import { nameIn } from './model.js';
import { PERMISSIONS } from './permissions.js';
import type { BpmTables } from './schema.js';

const defineAction = actionsOf<BpmTables>();

/** Instances that still run: active, or failed (an incident is open, but they can be retried). */
const RUNNING = ['active', 'failed'] as const;

export const listDefinitions = defineAction({
  name: 'listDefinitions',
  description:
    'Deployed processes: the latest version of each (counts over all its versions), or every version with all=true (counts of that version).',
  permission: PERMISSIONS.read,
  write: false,
  input: z.object({
    all: z.stringbool().optional(),
    /** Only processes a person may start from this page: `hr.employee`, `crm.client`, `crm.deal`. */
    startFrom: z.string().trim().min(1).max(100).optional(),
  }),
  output: z.object({
    items: z.array(
      z.object({
        id: z.string(),
        processId: z.string(),
        version: z.number(),
        name: z.string().nullable(),
        deployedAt: z.string(),
        /** The user who deployed it; null when the server did (a shipped workflow). */
        deployedBy: z.string().nullable(),
        /** Instances running (active, or failed with an open incident). */
        activeInstances: z.number().int(),
        openIncidents: z.number().int(),
        /** Pages where a person may start it by hand, with that page's id as a variable. */
        startFrom: z.array(z.string()),
        /** The form of its none start event, filled in before it starts. */
        startFormId: z.string().nullable(),
      }),
    ),
  }),
  async run(ctx, input) {
    // The latest row counts every version of its process; with all=true each row its own version.
    const all = input.all === true;
    let query = ctx.db
      .selectFrom('bpm_definitions as d')
      .select(['d.id', 'd.process_id', 'd.version', 'd.name', 'd.deployed_at', 'd.deployed_by'])
      .select((eb) => [
        eb
          .selectFrom('bpm_instances as i')
          .select((e) => e.fn.countAll<string>().as('n'))
          .whereRef('i.process_id', '=', 'd.process_id')
          .$if(all, (q) => q.whereRef('i.version', '=', 'd.version'))
          .where('i.state', 'in', RUNNING)
          .as('active_instances'),
        eb
          .selectFrom('bpm_incidents as n')
          .innerJoin('bpm_instances as i', 'i.id', 'n.instance_id')
          .select((e) => e.fn.countAll<string>().as('n'))
          .whereRef('i.process_id', '=', 'd.process_id')
          .$if(all, (q) => q.whereRef('i.version', '=', 'd.version'))
          .where('n.state', '=', 'open')
          .as('open_incidents'),
      ])
      .orderBy('d.process_id')
      .orderBy('d.version', 'desc');
    if (!input.all)
      query = query.where(({ eb, selectFrom }) =>
        eb(
          'd.version',
          '=',
          selectFrom('bpm_definitions as l')
            .select((e) => e.fn.max('l.version').as('v'))
            .whereRef('l.process_id', '=', 'd.process_id'),
        ),
      );
    const rows = await query.limit(1000).execute();
    // Compiled models are cached per definition, so reading their start events costs a parse once.
    const items = await Promise.all(
      rows.map(async (r) => {
        const process = await loadProcess(ctx, r.id);
        const start = process.startId ? process.nodes[process.startId] : undefined;
        return {
          id: r.id,
          processId: r.process_id,
          version: r.version,
          name: nameIn(process, ctx.locale) ?? r.name,
          deployedAt: r.deployed_at.toISOString(),
          deployedBy: r.deployed_by,
          activeInstances: Number(r.active_instances ?? 0),
          openIncidents: Number(r.open_incidents ?? 0),
          startFrom: start?.startFrom ?? [],
          startFormId: start?.formId ?? null,
        };
      }),
    );
    const { startFrom } = input;
    return { items: startFrom ? items.filter((d) => d.startFrom.includes(startFrom)) : items };
  },
});

const versionInput = z.object({
  processId: z.string().min(1).max(200),
  version: z.coerce.number().int().positive().optional(),
});

/** The definition of a process: the given version, else the latest; 404 when there is none. */
async function findDefinition(ctx: Ctx, processId: string, version?: number) {
  let query = ctx.db
    .selectFrom('bpm_definitions')
    .select(['id', 'process_id', 'version', 'xml'])
    .where('process_id', '=', processId);
  if (version) query = query.where('version', '=', version);
  const row = await query.orderBy('version', 'desc').executeTakeFirst();
  if (!row) throw notFound('bpm_definition', version ? `${processId}@${version}` : processId);
  return row;
}

export const definitionXml = defineAction({
  name: 'definitionXml',
  description: 'The BPMN 2.0 XML of a deployed process: the given version, else the latest.',
  permission: PERMISSIONS.read,
  write: false,
  input: versionInput,
  output: z.object({ processId: z.string(), version: z.number(), xml: z.string() }),
  async run(ctx, input) {
    const row = await findDefinition(ctx, input.processId, input.version);
    return { processId: row.process_id, version: row.version, xml: row.xml };
  },
});

export const definitionStatistics = defineAction({
  name: 'definitionStatistics',
  description:
    "Per element of a process version (the latest unless given): its instances' tokens active now, completed, and open incidents.",
  permission: PERMISSIONS.instancesRead,
  write: false,
  input: versionInput,
  output: z.object({
    processId: z.string(),
    version: z.number(),
    items: z.array(
      z.object({
        elementId: z.string(),
        active: z.number().int(),
        incidents: z.number().int(),
        completed: z.number().int(),
      }),
    ),
  }),
  async run(ctx, input) {
    const definition = await findDefinition(ctx, input.processId, input.version);
    const tokens = await ctx.db
      .selectFrom('bpm_element_instances as e')
      .innerJoin('bpm_instances as i', 'i.id', 'e.instance_id')
      .where('i.process_id', '=', definition.process_id)
      .where('i.version', '=', definition.version)
      .select((eb) => [
        'e.element_id',
        eb.fn.countAll<string>().filterWhere('e.state', 'in', ['active', 'waiting']).as('active'),
        eb.fn.countAll<string>().filterWhere('e.state', '=', 'completed').as('completed'),
      ])
      .groupBy('e.element_id')
      .execute();
    const incidents = await ctx.db
      .selectFrom('bpm_incidents as n')
      .innerJoin('bpm_instances as i', 'i.id', 'n.instance_id')
      .where('i.process_id', '=', definition.process_id)
      .where('i.version', '=', definition.version)
      .where('n.state', '=', 'open')
      .select((eb) => ['n.element_id', eb.fn.countAll<string>().as('n')])
      .groupBy('n.element_id')
      .execute();
    const byElement = new Map<
      string,
      { elementId: string; active: number; incidents: number; completed: number }
    >();
    const entry = (elementId: string) => {
      let found = byElement.get(elementId);
      if (!found) {
        found = { elementId, active: 0, incidents: 0, completed: 0 };
        byElement.set(elementId, found);
      }
      return found;
    };
    for (const r of tokens)
      Object.assign(entry(r.element_id), { active: Number(r.active), completed: Number(r.completed) });
    for (const r of incidents) entry(r.element_id).incidents = Number(r.n);
    return {
      processId: definition.process_id,
      version: definition.version,
      items: [...byElement.values()].sort((a, b) => (a.elementId < b.elementId ? -1 : 1)),
    };
  },
});

/** The XML download's headers: a .bpmn file named after the process. */
export function xmlAttachment(processId: string): Record<string, string> {
  const safe = processId.replace(/[^\w.-]/g, '_');
  return {
    'content-type': 'application/xml; charset=utf-8',
    'content-disposition': `attachment; filename="${safe}.bpmn"`,
  };
}
