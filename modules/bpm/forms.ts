// User-task forms (form-js JSON): checked at deploy, stored versioned per form id like processes,
// and the required fields a completion must carry.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { notFound } from '../../server/core/errors.js';
import { actionsOf } from '../../server/core/module.js';
import type { Ctx } from './engine.js';
import { evalFeel, FeelError, type Vars } from './feel.js';
import type { Problem } from './model.js';
import { PERMISSIONS } from './permissions.js';
import type { BpmTables } from './schema.js';

const defineAction = actionsOf<BpmTables>();

export type FormSchema = Record<string, unknown> & { id: string; components: unknown[] };

/**
 * A form ready to store, or the problems that refuse it (elementId: its id, else the file's name).
 * An embedded form is stored under `storedId` and may leave its own id out.
 */
export function checkForm(
  label: string,
  content: string,
  storedId?: string,
): { form: FormSchema | null; problems: Problem[] } {
  const refuse = (elementId: string, message: string) => ({
    form: null,
    problems: [{ elementId, elementType: 'form', name: label, message }],
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    return refuse(label, `The form is not JSON: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    return refuse(label, 'The form is not a JSON object');
  const form = parsed as Record<string, unknown>;
  if (storedId && typeof form.id !== 'string') form.id = storedId;
  if (typeof form.id !== 'string' || form.id.trim() === '') return refuse(label, 'The form has no string id');
  if (!Array.isArray(form.components)) return refuse(form.id, 'The form has no components array');
  return { form: form as FormSchema, problems: [] };
}

type Component = {
  type?: unknown;
  key?: unknown;
  path?: unknown;
  label?: unknown;
  validate?: { required?: unknown };
  conditional?: { hide?: unknown };
  components?: unknown;
};

const asComponents = (value: unknown): Component[] =>
  Array.isArray(value) ? value.filter((c): c is Component => !!c && typeof c === 'object') : [];

const isEmpty = (value: unknown) =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

function valueAt(data: unknown, path: string[]): unknown {
  let at = data;
  for (const part of path) {
    if (!at || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

/** form-js hides a component when its FEEL `conditional.hide` is true; a hidden field is not required. */
function hidden(component: Component, data: Vars): boolean {
  const hide = component.conditional?.hide;
  if (typeof hide !== 'string' || hide.trim() === '') return false;
  try {
    return evalFeel(hide, data) === true;
  } catch (error) {
    if (error instanceof FeelError) return false;
    throw error;
  }
}

/**
 * The paths (`a.b`, `items.0.name`) of required fields the data leaves empty: components with
 * `validate.required`, by their key, inside groups (whose `path` nests their keys) and inside
 * each item of a dynamic list. `context` is what hide conditions see (the data by default).
 */
export function missingRequired(schema: FormSchema, data: Vars, context: Vars = data): string[] {
  const missing: string[] = [];
  const visit = (components: Component[], prefix: string[], scope: Vars) => {
    for (const component of components) {
      if (hidden(component, scope)) continue;
      const path = typeof component.path === 'string' && component.path ? component.path.split('.') : [];
      if (component.type === 'dynamiclist' && path.length > 0) {
        const items = valueAt(data, [...prefix, ...path]);
        if (Array.isArray(items))
          items.forEach((item, i) => {
            visit(asComponents(component.components), [...prefix, ...path, String(i)], {
              ...scope,
              ...(item && typeof item === 'object' ? (item as Vars) : {}),
            });
          });
        continue;
      }
      if (Array.isArray(component.components)) {
        visit(asComponents(component.components), [...prefix, ...path], scope);
        continue;
      }
      if (component.validate?.required !== true || typeof component.key !== 'string') continue;
      const keyPath = [...prefix, ...component.key.split('.')];
      if (isEmpty(valueAt(data, keyPath))) missing.push(keyPath.join('.'));
    }
  };
  visit(asComponents(schema.components), [], context);
  return missing;
}

export const formHash = (schema: FormSchema) =>
  createHash('sha256').update(JSON.stringify(schema)).digest('hex');

/** Stores a form as its next version, unless its latest version has the same content. */
export async function storeForm(
  ctx: Ctx,
  formId: string,
  schema: FormSchema,
): Promise<{ formId: string; version: number; created: boolean }> {
  // Serializes deployments of one form id so two deploys never take the same version.
  await ctx.db
    .selectNoFrom((eb) =>
      eb.fn('pg_advisory_xact_lock', [eb.fn('hashtext', [eb.val(`bpm-form:${formId}`)])]).as('l'),
    )
    .execute();
  const hash = formHash(schema);
  const latest = await ctx.db
    .selectFrom('bpm_forms')
    .select(['version', 'hash'])
    .where('form_id', '=', formId)
    .orderBy('version', 'desc')
    .executeTakeFirst();
  if (latest && latest.hash === hash) return { formId, version: latest.version, created: false };
  const version = (latest?.version ?? 0) + 1;
  const row = await ctx.db
    .insertInto('bpm_forms')
    .values({
      form_id: formId,
      version,
      schema: JSON.stringify(schema),
      hash,
      deployed_by: ctx.actor.kind === 'user' ? ctx.actor.id : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await ctx.audit({ entity: 'bpm_form', entityId: row.id, before: null, after: { formId, version, hash } });
  return { formId, version, created: true };
}

/** The latest version of a form, or null when it was never deployed. */
export async function latestFormVersion(ctx: Ctx, formId: string): Promise<number | null> {
  const row = await ctx.db
    .selectFrom('bpm_forms')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('form_id', '=', formId)
    .executeTakeFirst();
  return row?.version ?? null;
}

/** A form's schema: the given version, else the latest. */
export async function loadForm(
  ctx: Ctx,
  formId: string,
  version?: number | null,
): Promise<{ version: number; schema: FormSchema } | null> {
  let query = ctx.db.selectFrom('bpm_forms').select(['version', 'schema']).where('form_id', '=', formId);
  if (version) query = query.where('version', '=', version);
  const row = await query.orderBy('version', 'desc').executeTakeFirst();
  return row ? { version: row.version, schema: row.schema as FormSchema } : null;
}

export const getForm = defineAction({
  name: 'getForm',
  description: 'A deployed user-task form (form-js JSON): its latest version, or the one asked for.',
  permission: PERMISSIONS.tasks,
  write: false,
  input: z.object({
    formId: z.string().min(1).max(300),
    version: z.coerce.number().int().positive().optional(),
  }),
  output: z.object({ formId: z.string(), version: z.number(), schema: z.record(z.string(), z.unknown()) }),
  async run(ctx, input) {
    const form = await loadForm(ctx, input.formId, input.version);
    if (!form) throw notFound('bpm_form', input.formId);
    return { formId: input.formId, version: form.version, schema: form.schema };
  },
});
