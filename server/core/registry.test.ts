// The action registry: validation in the caller's language, permissions, one transaction
// across nested calls, audit with secrets removed, retries of serialization failures.
import { expect, it } from 'vitest';
import { probeModule, retryCounter } from '../testing/probe-module.js';
import { describeEachBackend } from '../testing/test-suite.js';
import { ANONYMOUS_ACTOR, SYSTEM_ACTOR } from './module.js';

describeEachBackend(
  'action registry',
  (t) => {
    it('validates input and names each bad field, in the caller’s language', async () => {
      const call = (locale: 'ru' | 'en') =>
        t().suite.registry.call('probe.createItem', { name: '', seq: 'x' }, { actor: SYSTEM_ACTOR, locale });
      await expect(call('en')).rejects.toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
      const error = await call('ru').catch(
        (e: { details: { issues: { path: string; message: string }[] } }) => e,
      );
      const issues = (error as { details: { issues: { path: string; message: string }[] } }).details.issues;
      expect(issues.map((i) => i.path).sort()).toEqual(['name', 'seq']);
      expect(issues.every((i) => /[а-я]/i.test(i.message))).toBe(true);
    });

    it('checks the permission: 401 for nobody, 403 without it', async () => {
      await expect(
        t().suite.registry.call('probe.createItem', { name: 'x' }, { actor: ANONYMOUS_ACTOR }),
      ).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
      const employee = await t().createUser(['employee']);
      const response = await t().request('POST', '/api/probe/items', {
        cookie: employee.cookie,
        body: { name: 'x' },
      });
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('FORBIDDEN');
    });

    it('runs nested calls in one transaction: a failure undoes every write of the chain', async () => {
      const ok = await t().request('POST', '/api/probe/two', {
        cookie: t().admin.cookie,
        body: { prefix: 'kept' },
      });
      expect(ok.status).toBe(201);
      const failed = await t().request('POST', '/api/probe/two', {
        cookie: t().admin.cookie,
        body: { prefix: 'undone', fail: true },
      });
      expect(failed.status).toBe(409);
      expect(failed.body.error.code).toBe('PROBE_CONFLICT');
      const names = await t()
        .db.selectFrom('probe_items')
        .select('name')
        .where('name', 'like', 'kept-%')
        .execute();
      expect(names).toHaveLength(2);
      const undone = await t()
        .db.selectFrom('probe_items')
        .select('name')
        .where('name', 'like', 'undone-%')
        .execute();
      expect(undone).toEqual([]);
      const audit = await t()
        .db.selectFrom('core_audit_log')
        .select('id')
        .where('after', 'is not', null)
        .where((eb) => eb.fn('jsonb_extract_path_text', ['after', eb.val('name')]), 'like', 'undone-%')
        .execute();
      expect(audit).toEqual([]);
    });

    it('audits writes with the actor and request id, never a secret', async () => {
      const response = await t().request('POST', '/api/probe/items', {
        cookie: t().admin.cookie,
        body: { name: 'audited' },
      });
      expect(response.status).toBe(201);
      const row = await t()
        .db.selectFrom('core_audit_log')
        .selectAll()
        .where('entity_id', '=', response.body.id)
        .executeTakeFirstOrThrow();
      expect(row.actor_id).toBe(t().admin.id);
      expect(row.action).toBe('probe.createItem');
      expect(row.request_id).toBe(response.headers['x-request-id']);
      expect(row.after).toEqual({ name: 'audited', password: '[redacted]' });
    });

    it('retries a transaction aborted by a serialization failure, and commits once', async () => {
      retryCounter.clear();
      const result = await t().suite.registry.call<{ id: string }>(
        'probe.createItem',
        { name: 'retried', failAfterWrite: 'retryable' },
        { actor: SYSTEM_ACTOR },
      );
      expect(retryCounter.get('retried')).toBe(3);
      const rows = await t()
        .db.selectFrom('probe_items')
        .select('id')
        .where('name', '=', 'retried')
        .execute();
      expect(rows).toEqual([{ id: result.id }]);
    });

    it('treats output that breaks the action’s schema as a bug: 500, logged, no stack to the client', async () => {
      const response = await t().request('GET', '/api/probe/bad-output', { cookie: t().admin.cookie });
      expect(response.status).toBe(500);
      expect(response.body.error.code).toBe('INTERNAL');
      expect(response.body.error.details.requestId).toBe(response.headers['x-request-id']);
      expect(JSON.stringify(response.body)).not.toMatch(/at |\.ts:|stack/);
    });

    it('refuses to emit an event the module did not declare', async () => {
      await expect(
        t().suite.registry.call('probe.emitUndeclared', {}, { actor: SYSTEM_ACTOR }),
      ).rejects.toThrow(/without declaring/);
    });

    it('turns an unexpected failure into a 500 with nothing written', async () => {
      const response = await t().request('POST', '/api/probe/items', {
        cookie: t().admin.cookie,
        body: { name: 'boom', failAfterWrite: 'technical' },
      });
      expect(response.status).toBe(500);
      expect(response.body.error.message).not.toContain('probe exploded');
      const rows = await t().db.selectFrom('probe_items').select('id').where('name', '=', 'boom').execute();
      expect(rows).toEqual([]);
    });

    it('answers the business error of a module with its translated message', async () => {
      const response = await t().request('POST', '/api/probe/items', {
        cookie: t().admin.cookie,
        headers: { 'accept-language': 'ru' },
        body: { name: 'no', failAfterWrite: 'business' },
      });
      expect(response.status).toBe(422);
      // The admin's own language wins over the header once signed in.
      expect(response.body.error).toEqual({ code: 'PROBE_REFUSED', message: 'Zond rad etdi.' });
    });
  },
  { modules: [probeModule] },
);
