// The inbox: a task assigned to a person (by e-mail, FEEL allowed) or offered to a role; claim,
// complete with variables; another person's task is 403, a completed one 409.
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { deployFiles, formJson } from './form-test-helpers.js';
import { bpmn, chain, deployOk, instance, pid, start, tasksOf, userTask } from './test-helpers.js';

describeEachBackend('bpm user tasks', (t) => {
  it('the inbox shows assigned and role-offered tasks only; claim, complete, 403 and 409', async () => {
    const id = pid('inbox');
    const deployed = await deployFiles(t(), [
      {
        name: 'inbox.bpmn',
        content: bpmn(
          id,
          `<bpmn:startEvent id="start" />
        ${userTask('check', 'candidateGroups="warehouse, sales_head"', '<zeebe:formDefinition formId="check-form" />')}
        ${userTask('sign', 'assignee="=signer"')}
        <bpmn:endEvent id="end" />${chain(['start', 'check', 'sign', 'end'])}`,
        ),
      },
      { name: 'check.form', content: formJson('check-form', []) },
    ]);
    expect(deployed.status).toBe(201);
    const keeper = await t().createUser(['warehouse']);
    const otherKeeper = await t().createUser(['warehouse']);
    const manager = await t().createUser(['sales_manager']);
    const signer = await t().createUser(['employee']);
    const started = await start(t(), id, { signer: signer.email.toUpperCase() });

    const inbox = (cookie: string) => tasksOf(t(), started.id, cookie);
    const [offered] = await inbox(keeper.cookie);
    expect(offered).toMatchObject({
      elementId: 'check',
      assignee: null,
      candidateGroups: ['warehouse', 'sales_head'],
      formId: 'check-form',
    });
    expect(await inbox(manager.cookie)).toEqual([]);
    expect(await inbox(signer.cookie)).toEqual([]);

    // the manager is not offered it: 403; a keeper claims it, then the other keeper no longer sees it
    const foreign = await t().request('POST', `/api/bpm/tasks/${offered?.id}/complete`, {
      cookie: manager.cookie,
      body: {},
    });
    expect(foreign.status).toBe(403);
    const claimed = await t().request('POST', `/api/bpm/tasks/${offered?.id}/claim`, {
      cookie: keeper.cookie,
    });
    expect(claimed.status).toBe(200);
    expect(claimed.body.assignee).toBe(keeper.email.toLowerCase());
    expect(await inbox(otherKeeper.cookie)).toEqual([]);
    const stolen = await t().request('POST', `/api/bpm/tasks/${offered?.id}/complete`, {
      cookie: otherKeeper.cookie,
      body: {},
    });
    expect(stolen.status).toBe(403);

    const done = await t().request('POST', `/api/bpm/tasks/${offered?.id}/complete`, {
      cookie: keeper.cookie,
      body: { variables: { checked: true } },
    });
    expect(done.status).toBe(200);
    expect(done.body.instanceState).toBe('active');
    const twice = await t().request('POST', `/api/bpm/tasks/${offered?.id}/complete`, {
      cookie: keeper.cookie,
      body: {},
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('BPM_TASK_NOT_OPEN');

    // the FEEL assignee (an e-mail, compared without case)
    const [sign] = await inbox(signer.cookie);
    expect(sign?.elementId).toBe('sign');
    expect(await inbox(keeper.cookie)).toEqual([]);
    const signed = await t().request('POST', `/api/bpm/tasks/${sign?.id}/complete`, {
      cookie: signer.cookie,
      body: {},
    });
    expect(signed.body.instanceState).toBe('completed');
    const view = await instance(t(), started.id);
    expect(view.variables.checked).toBe(true);

    // history records who completed each task
    const actors = await t()
      .db.selectFrom('bpm_element_instances')
      .select(['element_id', 'actor_id'])
      .where('instance_id', '=', started.id)
      .where('element_id', 'in', ['check', 'sign'])
      .orderBy('seq')
      .execute();
    expect(actors).toEqual([
      { element_id: 'check', actor_id: keeper.id },
      { element_id: 'sign', actor_id: signer.id },
    ]);
  });

  it('emits bpm.instance.started/completed and bpm.task.created/completed, and audits the writes', async () => {
    const id = pid('events');
    await deployOk(
      t(),
      bpmn(
        id,
        `<bpmn:startEvent id="start" />${userTask('t1', 'candidateGroups="hr"')}<bpmn:endEvent id="end" />${chain(['start', 't1', 'end'])}`,
      ),
    );
    const started = await start(t(), id);
    const hr = await t().createUser(['hr']);
    const [task] = await tasksOf(t(), started.id, hr.cookie);
    await t().request('POST', `/api/bpm/tasks/${task?.id}/complete`, { cookie: hr.cookie, body: {} });
    const events = await t()
      .db.selectFrom('core_events')
      .select('type')
      .where('aggregate_id', '=', started.id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.type)).toEqual([
      'bpm.instance.started',
      'bpm.task.created',
      // the task is completed first, then the instance it ended
      'bpm.task.completed',
      'bpm.instance.completed',
    ]);
    const audits = await t()
      .db.selectFrom('core_audit_log')
      .select(['action', 'entity'])
      .where('entity_id', 'in', [started.id, task?.id ?? ''])
      .execute();
    expect(audits.map((a) => a.action).sort()).toEqual(['bpm.completeTask', 'bpm.startInstance']);
  });
});

describeEachBackend('bpm task subjects', (t) => {
  const subject = (expression: string) =>
    `<zeebe:properties><zeebe:property name="subject" value="${expression}" /></zeebe:properties>`;

  it('labels a task with what it is about, and leaves the label out when the expression gives no text', async () => {
    const id = pid('subject');
    await deployOk(
      t(),
      bpmn(
        id,
        `<bpmn:startEvent id="start" />
        ${userTask('about', 'assignee="=signer"', subject('=dealTitle + &#34; · &#34; + clientName'))}
        ${userTask('blank', 'assignee="=signer"', subject('=missing.title'))}
        ${userTask('bad', 'assignee="=signer"', subject('=count(42)'))}
        <bpmn:endEvent id="end" />${chain(['start', 'about', 'blank', 'bad', 'end'])}`,
      ),
    );
    const signer = await t().createUser(['employee']);
    const started = await start(t(), id, {
      signer: signer.email,
      dealTitle: 'Choraklik buyurtma',
      clientName: 'Urganch Qurilish',
    });
    const open = async () => {
      const response = await t().request('GET', `/api/bpm/tasks?processInstanceId=${started.id}`, {
        cookie: signer.cookie,
      });
      return response.body.items[0] as { id: string; elementId: string; subject: string | null };
    };
    const about = await open();
    expect(about).toMatchObject({ elementId: 'about', subject: 'Choraklik buyurtma · Urganch Qurilish' });
    const one = await t().request('GET', `/api/bpm/tasks/${about.id}`, { cookie: signer.cookie });
    expect(one.body.subject).toBe('Choraklik buyurtma · Urganch Qurilish');
    for (const elementId of ['blank', 'bad']) {
      const done = await t().request('POST', `/api/bpm/tasks/${(await open()).id}/complete`, {
        cookie: signer.cookie,
        body: {},
      });
      expect(done.status).toBe(200);
      // Still created, only without a label.
      expect(await open()).toMatchObject({ elementId, subject: null });
    }
  });
});
