// The inbox a person works from: a task with its form and what the process mapped in, required
// fields checked on completion, unclaim, paging sorted by due date, HR departments as groups.
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { makeDepartment, makeEmployee } from '../hr/test-helpers.js';
import { deployFiles, formJson, textField } from './form-test-helpers.js';
import { bpmn, chain, deployOk, instance, pid, start, tasksOf, userTask } from './test-helpers.js';

const REVIEW_FORM = (formId: string, label = 'reason') =>
  formJson(formId, [
    textField(label, true),
    textField('why', true, { conditional: { hide: '=approved = true' } }),
    { type: 'group', path: 'address', components: [textField('street', true), textField('flat')] },
    { type: 'group', components: [textField('contact.phone', true)] },
  ]);

describeEachBackend('bpm task inbox', (t) => {
  it('GET /tasks/:id: the form of its version, the variables it sees; required fields on completion', async () => {
    const id = pid('review');
    const formId = `review-${id}`;
    const xml = bpmn(
      id,
      `<bpmn:startEvent id="start" />
      ${userTask(
        'review',
        'candidateGroups="warehouse"',
        `<zeebe:formDefinition formId="${formId}" /><zeebe:ioMapping><zeebe:input source="=amount * 2" target="doubled" /></zeebe:ioMapping>`,
      )}
      <bpmn:endEvent id="end" />${chain(['start', 'review', 'end'])}`,
    );
    const deployed = await deployFiles(t(), [
      { name: 'review.bpmn', content: xml },
      { name: 'review.form', content: REVIEW_FORM(formId) },
    ]);
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
    const keeper = await t().createUser(['warehouse']);
    const outsider = await t().createUser(['sales_manager']);
    const started = await start(t(), id, { amount: 21, customer: 'Olmazor' });
    const [listed] = await tasksOf(t(), started.id, keeper.cookie);

    // A new form version after the task was created does not change the task's form.
    const v2 = await deployFiles(t(), [
      { name: 'review.bpmn', content: xml },
      { name: 'review.form', content: REVIEW_FORM(formId, 'motive') },
    ]);
    expect(v2.body.forms).toEqual([{ formId, version: 2, created: true }]);

    const view = await t().request('GET', `/api/bpm/tasks/${listed?.id}`, { cookie: keeper.cookie });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      id: listed?.id,
      elementId: 'review',
      name: 'review',
      processInstanceId: started.id,
      processId: id,
      processName: `Test ${id}`,
      assignee: null,
      candidateGroups: ['warehouse'],
      candidateUsers: [],
      dueAt: null,
      state: 'active',
      formId,
      formVersion: 1,
      variables: { amount: 21, customer: 'Olmazor', doubled: 42 },
    });
    expect(view.body.form.components[0].key).toBe('reason');
    expect(Date.parse(view.body.createdAt)).not.toBeNaN();

    expect(
      (await t().request('GET', `/api/bpm/tasks/${listed?.id}`, { cookie: outsider.cookie })).status,
    ).toBe(403);
    expect((await t().request('GET', `/api/bpm/tasks/${listed?.id}`)).status).toBe(401);
    const missing = await t().request('GET', '/api/bpm/tasks/00000000-0000-4000-8000-000000000000', {
      cookie: keeper.cookie,
    });
    expect(missing.status).toBe(404);
    const malformed = await t().request('GET', '/api/bpm/tasks/not-a-uuid', { cookie: keeper.cookie });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details.issues[0].path).toBe('id');

    // Missing required fields (also in groups, nested keys): 400 naming each; nothing changes.
    const refused = await t().request('POST', `/api/bpm/tasks/${listed?.id}/complete`, {
      cookie: keeper.cookie,
      body: { variables: { reason: '', address: { flat: '3' } } },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('VALIDATION_FAILED');
    expect(refused.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual([
      'variables.reason',
      'variables.why',
      'variables.address.street',
      'variables.contact.phone',
    ]);
    expect((await instance(t(), started.id)).activeElements.map((e) => e.elementId)).toEqual(['review']);
    const still = await t().request('GET', `/api/bpm/tasks/${listed?.id}`, { cookie: keeper.cookie });
    expect(still.body.state).toBe('active');

    // `why` is hidden when approved: not required then.
    const done = await t().request('POST', `/api/bpm/tasks/${listed?.id}/complete`, {
      cookie: keeper.cookie,
      body: {
        variables: {
          reason: 'ok',
          approved: true,
          address: { street: 'Navoiy 1' },
          contact: { phone: '+998' },
        },
      },
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.instanceState).toBe('completed');
    const after = await t().request('GET', `/api/bpm/tasks/${listed?.id}`, { cookie: keeper.cookie });
    expect(after.body).toMatchObject({ state: 'completed' });
    expect(after.body.completedAt).not.toBeNull();

    // A task created now gets the latest form version.
    const next = await start(t(), id, { amount: 1 });
    const [fresh] = await tasksOf(t(), next.id, keeper.cookie);
    const freshView = await t().request('GET', `/api/bpm/tasks/${fresh?.id}`, { cookie: keeper.cookie });
    expect(freshView.body.formVersion).toBe(2);
    expect(freshView.body.form.components[0].key).toBe('motive');
  });

  it('unclaim: the assignee or an admin gives the task back; 409 when not claimed or done, 403 for others', async () => {
    const id = pid('unclaim');
    await deployOk(
      t(),
      bpmn(
        id,
        `<bpmn:startEvent id="start" />${userTask('pick', 'candidateGroups="warehouse"')}<bpmn:endEvent id="end" />${chain(['start', 'pick', 'end'])}`,
      ),
    );
    const keeper = await t().createUser(['warehouse']);
    const other = await t().createUser(['warehouse']);
    const started = await start(t(), id);
    const [task] = await tasksOf(t(), started.id, keeper.cookie);
    const url = `/api/bpm/tasks/${task?.id}`;

    const notClaimed = await t().request('POST', `${url}/unclaim`, { cookie: keeper.cookie });
    expect(notClaimed.status).toBe(409);
    expect(notClaimed.body.error.code).toBe('BPM_TASK_NOT_CLAIMED');

    expect((await t().request('POST', `${url}/claim`, { cookie: keeper.cookie })).status).toBe(200);
    expect(await tasksOf(t(), started.id, other.cookie)).toEqual([]);
    const stolen = await t().request('POST', `${url}/unclaim`, { cookie: other.cookie });
    expect(stolen.status).toBe(403);

    const back = await t().request('POST', `${url}/unclaim`, { cookie: keeper.cookie });
    expect(back.status).toBe(200);
    expect(back.body).toEqual({ id: task?.id, assignee: null });
    expect((await tasksOf(t(), started.id, other.cookie)).map((x) => x.id)).toEqual([task?.id]);

    // An admin may take it back from whoever holds it.
    await t().request('POST', `${url}/claim`, { cookie: other.cookie });
    const byAdmin = await t().request('POST', `${url}/unclaim`, { cookie: t().admin.cookie });
    expect(byAdmin.status).toBe(200);
    const audits = await t()
      .db.selectFrom('core_audit_log')
      .select('action')
      .where('entity_id', '=', task?.id ?? '')
      .where('action', '=', 'bpm.unclaimTask')
      .execute();
    expect(audits).toHaveLength(2);

    await t().request('POST', `${url}/complete`, { cookie: keeper.cookie, body: {} });
    const ended = await t().request('POST', `${url}/unclaim`, { cookie: t().admin.cookie });
    expect(ended.status).toBe(409);
    expect(ended.body.error.code).toBe('BPM_TASK_NOT_OPEN');
    const unknown = await t().request('POST', '/api/bpm/tasks/00000000-0000-4000-8000-000000000000/unclaim', {
      cookie: keeper.cookie,
    });
    expect(unknown.status).toBe(404);
  });

  it('two people claiming one task at the same time: one gets it, the other 409 and it stays theirs', async () => {
    const id = pid('race');
    await deployOk(
      t(),
      bpmn(
        id,
        `<bpmn:startEvent id="start" />${userTask('grab', 'candidateGroups="warehouse"')}<bpmn:endEvent id="end" />${chain(['start', 'grab', 'end'])}`,
      ),
    );
    const first = await t().createUser(['warehouse']);
    const second = await t().createUser(['warehouse']);
    const started = await start(t(), id);
    const [task] = await tasksOf(t(), started.id, first.cookie);
    const claims = await Promise.all(
      [first, second].map((u) =>
        t().request('POST', `/api/bpm/tasks/${task?.id}/claim`, { cookie: u.cookie }),
      ),
    );
    expect(claims.map((c) => c.status).sort()).toEqual([200, 409]);
    const winner = claims.find((c) => c.status === 200)?.body.assignee;
    expect(claims.find((c) => c.status === 409)?.body.error.code).toBe('BPM_TASK_ASSIGNED');
    const view = await t().request('GET', `/api/bpm/tasks/${task?.id}`, { cookie: t().admin.cookie });
    expect(view.body.assignee).toBe(winner);
  });

  it('GET /tasks pages { items, total } by due date (none last), then age; limit=0 answers the total only', async () => {
    const id = pid('paging');
    await deployOk(
      t(),
      bpmn(
        id,
        `<bpmn:startEvent id="start" />${userTask('work', 'assignee="=who"', '<zeebe:taskSchedule dueDate="=due" />')}<bpmn:endEvent id="end" />${chain(['start', 'work', 'end'])}`,
      ),
    );
    const worker = await t().createUser(['employee']);
    const who = worker.email;
    const none = await start(t(), id, { who, due: null });
    const later = await start(t(), id, { who, due: '2999-01-01T09:00:00Z' });
    const past = await start(t(), id, { who, due: '2001-01-01T09:00:00Z' });
    const none2 = await start(t(), id, { who, due: null });

    const page = await t().request('GET', '/api/bpm/tasks', { cookie: worker.cookie });
    expect(page.status).toBe(200);
    expect(page.body.total).toBe(4);
    expect(page.body.items.map((x: { processInstanceId: string }) => x.processInstanceId)).toEqual([
      past.id,
      later.id,
      none.id,
      none2.id,
    ]);
    expect(page.body.items.map((x: { overdue: boolean }) => x.overdue)).toEqual([true, false, false, false]);
    expect(page.body.items[0]).toMatchObject({
      processId: id,
      processName: `Test ${id}`,
      dueAt: '2001-01-01T09:00:00.000Z',
      state: 'active',
    });

    const badge = await t().request('GET', '/api/bpm/tasks?limit=0', { cookie: worker.cookie });
    expect(badge.body).toEqual({ items: [], total: 4 });
    const second = await t().request('GET', '/api/bpm/tasks?limit=2&offset=1', { cookie: worker.cookie });
    expect(second.body.total).toBe(4);
    expect(second.body.items.map((x: { processInstanceId: string }) => x.processInstanceId)).toEqual([
      later.id,
      none.id,
    ]);
    const tooMany = await t().request('GET', '/api/bpm/tasks?limit=501', { cookie: worker.cookie });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details.issues[0].path).toBe('limit');
    const negative = await t().request('GET', '/api/bpm/tasks?offset=-1', { cookie: worker.cookie });
    expect(negative.status).toBe(400);

    // The filters still hold, and nobody else sees these tasks.
    const filtered = await t().request('GET', `/api/bpm/tasks?processInstanceId=${later.id}`, {
      cookie: worker.cookie,
    });
    expect(filtered.body.total).toBe(1);
    const other = await t().createUser(['employee']);
    expect((await t().request('GET', '/api/bpm/tasks', { cookie: other.cookie })).body).toEqual({
      items: [],
      total: 0,
    });
  });

  it('a candidate group that is an HR department code reaches the inbox of its employees (and sub-departments)', async () => {
    const code = `dep_${pid('x').replace(/\W/g, '_')}`.slice(0, 40);
    const department = await makeDepartment(t(), { code });
    const sub = await makeDepartment(t(), { parentId: department.id });
    const clerk = await t().createUser(['employee']);
    await makeEmployee(t(), { departmentId: sub.id, userId: clerk.id });
    const stranger = await t().createUser(['employee']);
    await makeEmployee(t(), { departmentId: (await makeDepartment(t())).id, userId: stranger.id });

    const id = pid('dept');
    await deployOk(
      t(),
      bpmn(
        id,
        `<bpmn:startEvent id="start" />${userTask('handle', `candidateGroups="${code.toUpperCase()}"`)}<bpmn:endEvent id="end" />${chain(['start', 'handle', 'end'])}`,
      ),
    );
    // Started by a user who may not read HR at all: the process resolves the group on its own behalf.
    const starter = await t().createUser(['sales_manager']);
    const started = await start(t(), id, {}, starter.cookie);
    const [task] = await tasksOf(t(), started.id, clerk.cookie);
    expect(task?.elementId).toBe('handle');
    expect(task?.candidateGroups).toEqual([code.toUpperCase()]);
    expect(await tasksOf(t(), started.id, stranger.cookie)).toEqual([]);
    expect((await t().request('GET', `/api/bpm/tasks/${task?.id}`, { cookie: stranger.cookie })).status).toBe(
      403,
    );

    expect(
      (await t().request('POST', `/api/bpm/tasks/${task?.id}/claim`, { cookie: clerk.cookie })).status,
    ).toBe(200);
    const done = await t().request('POST', `/api/bpm/tasks/${task?.id}/complete`, {
      cookie: clerk.cookie,
      body: {},
    });
    expect(done.body.instanceState).toBe('completed');
  });
});
