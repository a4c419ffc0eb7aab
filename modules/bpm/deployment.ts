// Deploys a BPMN file with its forms (.form files and forms embedded in the processes) as one
// unit: every process and form gets its next version, or nothing is stored and the problems say why.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError, validationFailed } from '../../server/core/errors.js';
import { actionsOf } from '../../server/core/module.js';
import type { Ctx } from './engine.js';
import { checkForm, type FormSchema, storeForm } from './forms.js';
import { BpmnParseError, embeddedForms, parseBpmn } from './model.js';
import { PERMISSIONS } from './permissions.js';
import type { BpmTables } from './schema.js';
import { registerStarts } from './start-events.js';
import { checkDeployment } from './validate.js';

const defineAction = actionsOf<BpmTables>();

const fileSchema = z.object({ name: z.string().min(1).max(255), content: z.string() });

/** The XML and the forms of a deployment, from either an XML body (and form texts) or uploaded files. */
function unpack(ctx: Ctx, input: { xml?: string; forms?: string[]; files?: z.infer<typeof fileSchema>[] }) {
  if (!input.files)
    return {
      xml: input.xml ?? '',
      forms: (input.forms ?? []).map((content, i) => ({ name: `forms.${i}`, content })),
    };
  const issues = input.files.flatMap((file, i) =>
    /\.(bpmn|form)$/i.test(file.name)
      ? []
      : [
          {
            path: `files.${i}.name`,
            message: ctx.translate('BPM_DEPLOYMENT_FILE_TYPE', { name: file.name }),
          },
        ],
  );
  const bpmnFiles = input.files.filter((f) => /\.bpmn$/i.test(f.name));
  if (bpmnFiles.length !== 1)
    issues.push({
      path: 'files',
      message: ctx.translate('BPM_DEPLOYMENT_ONE_BPMN', { count: bpmnFiles.length }),
    });
  if (issues.length > 0) throw validationFailed(issues);
  return { xml: bpmnFiles[0]?.content ?? '', forms: input.files.filter((f) => /\.form$/i.test(f.name)) };
}

export const deploy = defineAction({
  name: 'deploy',
  description:
    'Deploys BPMN 2.0 XML and its forms: each executable process and form as a new version (unchanged ones make none).',
  permission: PERMISSIONS.deploy,
  write: true,
  input: z
    .object({
      xml: z.string().min(1).optional(),
      /** With `xml`: form-js JSON texts deployed with it (callers through the registry). */
      forms: z.array(z.string()).max(100).optional(),
      /** Uploaded files: exactly one `.bpmn` and any number of `.form` (form-js JSON). */
      files: z.array(fileSchema).max(100).optional(),
    })
    .refine((v) => v.xml !== undefined || v.files !== undefined, { path: ['xml'], message: 'Required' }),
  output: z.object({
    processes: z.array(z.object({ processId: z.string(), version: z.number().int(), created: z.boolean() })),
    forms: z.array(z.object({ formId: z.string(), version: z.number().int(), created: z.boolean() })),
    warnings: z.array(z.string()),
  }),
  async run(ctx, input) {
    const { xml, forms: formFiles } = unpack(ctx, input);
    let parsed: Awaited<ReturnType<typeof parseBpmn>>;
    try {
      parsed = await parseBpmn(xml);
    } catch (error) {
      if (error instanceof BpmnParseError)
        throw new AppError(400, 'BPMN_UNREADABLE', {
          details: { reason: error.message },
          params: { reason: error.message },
        });
      throw error;
    }
    const executable = parsed.processes.filter((p) => p.executable);
    // The processes' own checks (validate.ts, shared with the coverage report), then the forms'.
    const { problems, compiled } = checkDeployment(parsed, (name) => ctx.hasAction(name));

    // Forms of this deployment by the id they are stored under.
    const forms = new Map<string, FormSchema>();
    const addForm = (label: string, content: string, storedId?: string) => {
      const checked = checkForm(label, content, storedId);
      problems.push(...checked.problems);
      if (!checked.form) return;
      const id = storedId ?? checked.form.id;
      if (forms.has(id))
        problems.push({ elementId: id, elementType: 'form', name: label, message: 'Two forms have this id' });
      forms.set(id, checked.form);
    };
    for (const file of formFiles) addForm(file.name, file.content);
    for (const p of executable) for (const f of embeddedForms(p.element)) addForm(f.id, f.body, f.id);

    for (const process of compiled.values())
      for (const node of Object.values(process.nodes)) {
        if (node.kind !== 'userTask' || !node.formId || forms.has(node.formId)) continue;
        const known = await ctx.db
          .selectFrom('bpm_forms')
          .select('id')
          .where('form_id', '=', node.formId)
          .executeTakeFirst();
        if (!known)
          problems.push({
            elementId: node.id,
            elementType: node.type,
            name: node.name,
            message: `The form "${node.formId}" is neither in this deployment nor deployed before`,
          });
      }
    if (problems.length > 0)
      throw new AppError(422, 'BPMN_INVALID', { details: { problems }, params: { count: problems.length } });

    const storedForms = [];
    for (const [formId, schema] of forms) storedForms.push(await storeForm(ctx, formId, schema));

    const hash = createHash('sha256').update(xml).digest('hex');
    const processes: { processId: string; version: number; created: boolean }[] = [];
    for (const p of executable) {
      // Serializes deployments of one process id so two deploys never take the same version.
      await ctx.db
        .selectNoFrom((eb) =>
          eb.fn('pg_advisory_xact_lock', [eb.fn('hashtext', [eb.val(`bpm:${p.id}`)])]).as('l'),
        )
        .execute();
      const latest = await ctx.db
        .selectFrom('bpm_definitions')
        .select(['version', 'hash'])
        .where('process_id', '=', p.id)
        .orderBy('version', 'desc')
        .executeTakeFirst();
      if (latest && latest.hash === hash) {
        processes.push({ processId: p.id, version: latest.version, created: false });
        continue;
      }
      const version = (latest?.version ?? 0) + 1;
      const row = await ctx.db
        .insertInto('bpm_definitions')
        .values({
          process_id: p.id,
          version,
          name: p.name,
          xml,
          hash,
          deployed_by: ctx.actor.kind === 'user' ? ctx.actor.id : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const process = compiled.get(p.id);
      if (process) await registerStarts(ctx, { id: row.id, process_id: p.id, version }, process);
      await ctx.audit({
        entity: 'bpm_definition',
        entityId: row.id,
        before: null,
        after: { processId: p.id, version, hash },
      });
      processes.push({ processId: p.id, version, created: true });
    }
    if (!processes.some((p) => p.created) && !storedForms.some((f) => f.created))
      ctx.noAudit('the same files were deployed before');
    return { processes, forms: storedForms, warnings: parsed.warnings };
  },
});
