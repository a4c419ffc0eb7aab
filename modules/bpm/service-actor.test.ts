// A service task runs its action as the system on behalf of the instance, in the step's
// transaction: a clerk who completes the task before it need not hold the action's permission,
// yet still cannot call the action over HTTP; the audit log names the instance.
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { bpmn, chain, deployOk, pid, start, tasksOf, userTask } from './test-helpers.js';

describeEachBackend('bpm service tasks run as the system', (t) => {
  it('a clerk without erp.products.write completes the task before erp.createProduct; over HTTP they get 403', async () => {
    const clerk = await t().createUser(['employee']);
    const sku = pid('SYS').slice(0, 40);
    const id = pid('sysactor');
    await deployOk(
      t(),
      bpmn(
        id,
        `<bpmn:startEvent id="start" />${userTask('approve', `assignee="${clerk.email}"`)}
        <bpmn:serviceTask id="create"><bpmn:extensionElements><zeebe:taskDefinition type="erp.createProduct" />
          <zeebe:ioMapping><zeebe:input source="=sku" target="sku" /><zeebe:input source="=&quot;Sement M500&quot;" target="name" />
          <zeebe:input source="=&quot;pcs&quot;" target="unit" /><zeebe:output source="=id" target="productId" /></zeebe:ioMapping>
        </bpmn:extensionElements></bpmn:serviceTask><bpmn:endEvent id="end" />${chain(['start', 'approve', 'create', 'end'])}`,
      ),
    );
    const direct = await t().request('POST', '/api/erp/products', {
      cookie: clerk.cookie,
      body: { sku, name: 'Sement M500', unit: 'pcs' },
    });
    expect(direct.status).toBe(403);

    const started = await start(t(), id, { sku }, clerk.cookie);
    const [task] = await tasksOf(t(), started.id, clerk.cookie);
    const done = await t().request('POST', `/api/bpm/tasks/${task?.id}/complete`, {
      cookie: clerk.cookie,
      body: {},
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.instanceState).toBe('completed');
    const product = await sql<{ id: string }>`select id from erp_products where sku = ${sku}`.execute(t().db);
    expect(product.rows).toHaveLength(1);
    const audit = await sql<{ actor_id: string | null; actor_name: string; request_id: string | null }>`
      select actor_id, actor_name, request_id from core_audit_log where action = 'erp.createProduct' and entity_id = ${product.rows[0]?.id ?? ''}`.execute(
      t().db,
    );
    expect(audit.rows).toEqual([
      { actor_id: null, actor_name: `system for bpm instance ${started.id}`, request_id: expect.any(String) },
    ]);
    // The clerk's own step is still theirs in the log.
    const completed = await sql<{ actor_id: string | null }>`
      select actor_id from core_audit_log where action = 'bpm.completeTask' and entity_id = ${task?.id ?? ''}`.execute(
      t().db,
    );
    expect(completed.rows).toEqual([{ actor_id: clerk.id }]);
  });

  it('bad input to the action run as the system is still a business error: an incident with its code, not a 500', async () => {
    const clerk = await t().createUser(['employee']);
    const id = pid('sysfail');
    await deployOk(
      t(),
      bpmn(
        id,
        `<bpmn:startEvent id="start" />${userTask('approve', `assignee="${clerk.email}"`)}
        <bpmn:serviceTask id="create"><bpmn:extensionElements><zeebe:taskDefinition type="erp.createProduct" />
          <zeebe:ioMapping><zeebe:input source="=&quot;&quot;" target="sku" /></zeebe:ioMapping>
        </bpmn:extensionElements></bpmn:serviceTask><bpmn:endEvent id="end" />${chain(['start', 'approve', 'create', 'end'])}`,
      ),
    );
    const started = await start(t(), id, {}, clerk.cookie);
    const [task] = await tasksOf(t(), started.id, clerk.cookie);
    const done = await t().request('POST', `/api/bpm/tasks/${task?.id}/complete`, {
      cookie: clerk.cookie,
      body: {},
    });
    expect(done.status).toBe(200);
    // Bad input to the action is a business error: an incident on the task (no boundary), not a 500.
    expect(done.body.instanceState).toBe('failed');
    const view = await t().request('GET', `/api/bpm/instances/${started.id}`, { cookie: t().admin.cookie });
    expect(view.body.incidents).toEqual([
      expect.objectContaining({ elementId: 'create', code: 'VALIDATION_FAILED' }),
    ]);
  });
});
