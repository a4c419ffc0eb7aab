// Forms deploy with their process (multipart: one .bpmn and .form files, or embedded in the
// model), are versioned per form id, refused with the model's problems, and served by id.
import { expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../server/core/module.js';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { deployFiles, formJson, textField } from './form-test-helpers.js';
import { bpmn, chain, deploy, pid, start, tasksOf, userTask } from './test-helpers.js';

const withForm = (id: string, formId: string) =>
  bpmn(
    id,
    `<bpmn:startEvent id="start" />${userTask('fill', 'candidateGroups="warehouse"', `<zeebe:formDefinition formId="${formId}" />`)}<bpmn:endEvent id="end" />${chain(['start', 'fill', 'end'])}`,
  );

describeEachBackend('bpm forms', (t) => {
  it('deploys a .bpmn with its .form files; unchanged files make no new version; GET /forms/:formId', async () => {
    const id = pid('formed');
    const formId = `request-${id}`;
    const form = formJson(formId, [textField('reason', true)]);
    const first = await deployFiles(t(), [
      { name: 'request.bpmn', content: withForm(id, formId) },
      { name: 'request.form', content: form },
    ]);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.processes).toEqual([{ processId: id, version: 1, created: true }]);
    expect(first.body.forms).toEqual([{ formId, version: 1, created: true }]);

    const again = await deployFiles(t(), [
      { name: 'request.bpmn', content: withForm(id, formId) },
      { name: 'request.form', content: form },
    ]);
    expect(again.status).toBe(201);
    expect(again.body.forms).toEqual([{ formId, version: 1, created: false }]);
    expect(again.body.processes).toEqual([{ processId: id, version: 1, created: false }]);

    const changed = formJson(formId, [textField('reason', true), textField('comment')]);
    const second = await deployFiles(t(), [
      { name: 'request.bpmn', content: withForm(id, formId) },
      { name: 'request.form', content: changed },
    ]);
    expect(second.body.forms).toEqual([{ formId, version: 2, created: true }]);

    const worker = await t().createUser(['warehouse']);
    const latest = await t().request('GET', `/api/bpm/forms/${formId}`, { cookie: worker.cookie });
    expect(latest.status).toBe(200);
    expect(latest.body).toMatchObject({ formId, version: 2 });
    expect(latest.body.schema.components.map((c: { key: string }) => c.key)).toEqual(['reason', 'comment']);
    const v1 = await t().request('GET', `/api/bpm/forms/${formId}?version=1`, { cookie: worker.cookie });
    expect(v1.body.schema.components).toHaveLength(1);

    // A model that names the form deploys later as plain XML: the form is already there.
    const later = pid('reuse');
    const plain = await deploy(t(), withForm(later, formId));
    expect(plain.status, JSON.stringify(plain.body)).toBe(201);

    const unknown = await t().request('GET', `/api/bpm/forms/nope-${id}`, { cookie: worker.cookie });
    expect(unknown.status).toBe(404);
    const noVersion = await t().request('GET', `/api/bpm/forms/${formId}?version=9`, {
      cookie: worker.cookie,
    });
    expect(noVersion.status).toBe(404);
    const badVersion = await t().request('GET', `/api/bpm/forms/${formId}?version=x`, {
      cookie: worker.cookie,
    });
    expect(badVersion.status).toBe(400);
    expect(badVersion.body.error.details.issues[0].path).toBe('version');
    expect((await t().request('GET', `/api/bpm/forms/${formId}`)).status).toBe(401);
    const nobody = await t().createUser([]);
    expect((await t().request('GET', `/api/bpm/forms/${formId}`, { cookie: nobody.cookie })).status).toBe(
      403,
    );
  });

  it('callers through the registry deploy XML with form texts (as the shipped workflows are installed)', async () => {
    const id = pid('registry');
    const formId = `registry-${id}`;
    const result = await t().suite.registry.call<{ forms: unknown[] }>(
      'bpm.deploy',
      { xml: withForm(id, formId), forms: [formJson(formId, [textField('note')])] },
      { actor: SYSTEM_ACTOR },
    );
    expect(result.forms).toEqual([{ formId, version: 1, created: true }]);
  });

  it('the same new form deployed twice at once makes one version', async () => {
    const formId = `twice-${pid('f')}`;
    const files = (id: string) => [
      { name: 'p.bpmn', content: withForm(id, formId) },
      { name: 'f.form', content: formJson(formId, [textField('a')]) },
    ];
    const answers = await Promise.all([
      deployFiles(t(), files(pid('one'))),
      deployFiles(t(), files(pid('two'))),
    ]);
    expect(answers.map((a) => a.status)).toEqual([201, 201]);
    expect(answers.map((a) => a.body.forms[0].created).sort()).toEqual([false, true]);
    const rows = await t()
      .db.selectFrom('bpm_forms')
      .select('version')
      .where('form_id', '=', formId)
      .execute();
    expect(rows).toEqual([{ version: 1 }]);
  });

  it('refuses broken forms and unknown form ids with 422 BPMN_INVALID and stores nothing', async () => {
    const id = pid('badform');
    const formId = `bad-${id}`;
    const response = await deployFiles(t(), [
      { name: 'p.bpmn', content: withForm(id, `missing-${id}`) },
      { name: 'broken.form', content: '{ not json' },
      { name: 'noid.form', content: JSON.stringify({ components: [] }) },
      { name: 'nocomponents.form', content: JSON.stringify({ id: formId }) },
    ]);
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('BPMN_INVALID');
    const problems = response.body.error.details.problems as { elementId: string; message: string }[];
    expect(problems.map((p) => p.elementId).sort()).toEqual(
      ['broken.form', 'fill', formId, 'noid.form'].sort(),
    );
    expect(problems.find((p) => p.elementId === 'fill')?.message).toContain(`missing-${id}`);

    const stored = await t().db.selectFrom('bpm_forms').select('id').where('form_id', '=', formId).execute();
    expect(stored).toEqual([]);
    const definitions = await t().request('GET', '/api/bpm/definitions', { cookie: t().admin.cookie });
    expect(definitions.body.items.some((d: { processId: string }) => d.processId === id)).toBe(false);

    // A good form beside a broken model is not stored either: a deployment is whole or nothing.
    const goodId = `good-${id}`;
    const half = await deployFiles(t(), [
      { name: 'p.bpmn', content: withForm(id, `missing-${id}`) },
      { name: 'good.form', content: formJson(goodId, []) },
    ]);
    expect(half.status).toBe(422);
    expect(await t().db.selectFrom('bpm_forms').select('id').where('form_id', '=', goodId).execute()).toEqual(
      [],
    );
  });

  it('multipart needs exactly one .bpmn and only .bpmn/.form files (400 naming the field); 401 and 403', async () => {
    const id = pid('parts');
    const none = await deployFiles(t(), [{ name: 'a.form', content: formJson(`a-${id}`, []) }]);
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('VALIDATION_FAILED');
    expect(none.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['files']);
    const two = await deployFiles(t(), [
      { name: 'a.bpmn', content: withForm(id, 'x') },
      { name: 'b.bpmn', content: withForm(id, 'x') },
    ]);
    expect(two.status).toBe(400);
    const other = await deployFiles(t(), [
      { name: 'a.bpmn', content: withForm(id, 'x') },
      { name: 'notes.txt', content: 'hello' },
    ]);
    expect(other.status).toBe(400);
    expect(other.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['files.1.name']);
    expect(other.body.error.details.issues[0].message).toContain('notes.txt');

    const huge = await deployFiles(t(), [
      { name: 'a.bpmn', content: withForm(id, 'x') },
      { name: 'big.form', content: formJson(`big-${id}`, [textField('x'.repeat(5 * 1024 * 1024))]) },
    ]);
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');

    const keeper = await t().createUser(['warehouse']);
    const forbidden = await deployFiles(t(), [{ name: 'a.bpmn', content: withForm(id, 'x') }], keeper.cookie);
    expect(forbidden.status).toBe(403);
    const anonymous = await deployFiles(t(), [{ name: 'a.bpmn', content: withForm(id, 'x') }], '');
    expect(anonymous.status).toBe(401);
  });

  it('reads forms embedded in the model (zeebe:userTaskForm + formKey), versioned per process', async () => {
    const id = pid('embedded');
    const embedded = formJson('ignored', [textField('amount', true)]).replace(/</g, '&lt;');
    const xml = bpmn(
      id,
      `<bpmn:extensionElements><zeebe:userTaskForm id="approveForm">${embedded}</zeebe:userTaskForm></bpmn:extensionElements>
      <bpmn:startEvent id="start" />${userTask('approve', 'candidateGroups="warehouse"', '<zeebe:formDefinition formKey="camunda-forms:bpmn:approveForm" />')}<bpmn:endEvent id="end" />${chain(['start', 'approve', 'end'])}`,
    );
    const deployed = await deploy(t(), xml);
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
    expect(deployed.body.forms).toEqual([{ formId: `${id}:approveForm`, version: 1, created: true }]);

    const keeper = await t().createUser(['warehouse']);
    const started = await start(t(), id);
    const [task] = await tasksOf(t(), started.id, keeper.cookie);
    const view = await t().request('GET', `/api/bpm/tasks/${task?.id}`, { cookie: keeper.cookie });
    expect(view.status).toBe(200);
    expect(view.body.formId).toBe(`${id}:approveForm`);
    expect(view.body.form.components[0].key).toBe('amount');

    // A formKey to an embedded form the model does not have is a deploy problem.
    const dangling = await deploy(
      t(),
      xml.replace('camunda-forms:bpmn:approveForm', 'camunda-forms:bpmn:other'),
    );
    expect(dangling.status).toBe(422);
    expect(dangling.body.error.details.problems[0].elementId).toBe('approve');
  });
});
