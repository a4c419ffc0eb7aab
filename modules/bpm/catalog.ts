// The action catalogue the modeler offers for service tasks: every registered action with its
// input and output as JSON Schema, so a task type is picked from a list with its fields.
import { z } from 'zod';
import { type ActionInfo, actionsOf } from '../../server/core/module.js';
import { PERMISSIONS } from './permissions.js';
import type { BpmTables } from './schema.js';

const defineAction = actionsOf<BpmTables>();

const jsonSchema = z.record(z.string(), z.unknown());
type JsonSchema = z.infer<typeof jsonSchema>;

/** Schemas are fixed once the modules are loaded: converted once per action. */
const converted = {
  input: new WeakMap<ActionInfo['input'], JsonSchema | null>(),
  output: new WeakMap<ActionInfo['input'], JsonSchema | null>(),
};

function toJsonSchema(schema: ActionInfo['input'], io: 'input' | 'output'): JsonSchema | null {
  const cached = converted[io].get(schema);
  if (cached !== undefined) return cached;
  let result: JsonSchema | null;
  try {
    // Transforms and custom checks cannot be written as JSON Schema: they are left open, not refused.
    result = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  } catch {
    result = null;
  }
  converted[io].set(schema, result);
  return result;
}

export const actionCatalog = defineAction({
  name: 'actionCatalog',
  description:
    'The actions a service task type may name: name, module, permission and input/output as JSON Schema.',
  permission: PERMISSIONS.deploy,
  write: false,
  input: z.object({}),
  output: z.object({
    items: z.array(
      z.object({
        name: z.string(),
        module: z.string(),
        description: z.string(),
        permission: z.string(),
        write: z.boolean(),
        input: jsonSchema,
        output: jsonSchema.nullable(),
      }),
    ),
  }),
  async run(ctx) {
    const items = ctx
      .actions()
      .map((a) => ({
        name: a.fullName,
        module: a.module,
        description: a.description,
        permission: a.permission,
        write: a.write,
        input: toJsonSchema(a.input, 'input') ?? {},
        output: toJsonSchema(a.output, 'output'),
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { items };
  },
});
