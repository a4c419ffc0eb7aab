// What the Processes pages read: the action catalogue, definitions with counts, a version's XML,
// per-element statistics, paged instances, and who may read which instance.
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { bpmn, bpmTestModule, chain, deployOk, pid, start, tasksOf, userTask } from './test-helpers.js';

const model = (id: string, end = 'end') =>
  bpmn(
    id,
    `<bpmn:startEvent id="start" />
    <bpmn:serviceTask id="call"><bpmn:extensionElements><zeebe:taskDefinition type="bpmtest.echo" />
      <zeebe:ioMapping><zeebe:input source="=failWith" target="code" /></zeebe:ioMapping>
    </bpmn:extensionElements></bpmn:serviceTask>
    ${userTask('review', 'candidateGroups="warehouse"')}
    <bpmn:endEvent id="${end}" />${chain(['start', 'call', 'review', end])}`,
  );

type Item = { id: string; processId: string; version: number; [key: string]: unknown };

describeEachBackend(
  'bpm read endpoints',
  (t) => {
    it('GET /action-catalog: every action with its input and output as JSON Schema, sorted; deployers only', async () => {
      const response = await t().request('GET', '/api/bpm/action-catalog', { cookie: t().admin.cookie });
      expect(response.status).toBe(200);
      const names = response.body.items.map((a: { name: string }) => a.name);
      expect(names).toEqual([...names].sort());
      const manager = response.body.items.find((a: { name: string }) => a.name === 'hr.getManager');
      expect(manager).toMatchObject({
        module: 'hr',
        permission: 'hr.employees.read',
        input: { type: 'object', properties: { employeeId: { type: 'string', format: 'uuid' } } },
      });
      expect(manager.input.required).toEqual(['employeeId']);
      expect(manager.output.properties.manager).toBeDefined();
      const echo = response.body.items.find((a: { name: string }) => a.name === 'bpmtest.echo');
      expect(Object.keys(echo.input.properties).sort()).toEqual(['code', 'n']);

      const keeper = await t().createUser(['warehouse']);
      expect((await t().request('GET', '/api/bpm/action-catalog', { cookie: keeper.cookie })).status).toBe(
        403,
      );
      expect((await t().request('GET', '/api/bpm/action-catalog')).status).toBe(401);
    });

    it('definitions with running instances and open incidents, the XML of a version, statistics per element', async () => {
      const id = pid('stats');
      const v1 = model(id);
      await deployOk(t(), v1);
      const failed = await start(t(), id, { failWith: 'BROKEN' });
      expect(failed.state).toBe('failed');
      const waiting = await start(t(), id, { failWith: null });
      const done = await start(t(), id, { failWith: null });
      const keeper = await t().createUser(['warehouse']);
      const [task] = await tasksOf(t(), done.id, keeper.cookie);
      await t().request('POST', `/api/bpm/tasks/${task?.id}/complete`, { cookie: keeper.cookie, body: {} });
      expect(waiting.state).toBe('active');

      const v2 = model(id, 'finish');
      await deployOk(t(), v2);
      const latest = await t().request('GET', '/api/bpm/definitions', { cookie: keeper.cookie });
      const mine = latest.body.items.filter((d: Item) => d.processId === id);
      expect(mine).toMatchObject([{ version: 2, activeInstances: 2, openIncidents: 1 }]);
      expect(typeof mine[0].id).toBe('string');
      expect(Date.parse(mine[0].deployedAt)).not.toBeNaN();
      const all = await t().request('GET', '/api/bpm/definitions?all=true', { cookie: keeper.cookie });
      expect(
        all.body.items
          .filter((d: Item) => d.processId === id)
          .map((d: Item) => [d.version, d.activeInstances, d.openIncidents]),
      ).toEqual([
        [2, 0, 0],
        [1, 2, 1],
      ]);

      const xml = await t().request('GET', `/api/bpm/definitions/${id}/xml`, { cookie: keeper.cookie });
      expect(xml.status).toBe(200);
      expect(xml.headers['content-type']).toMatch(/^application\/xml/);
      expect(xml.headers['content-disposition']).toBe(`attachment; filename="${id}.bpmn"`);
      expect(xml.body).toBe(v2);
      const old = await t().request('GET', `/api/bpm/definitions/${id}/xml?version=1`, {
        cookie: keeper.cookie,
      });
      expect(old.body).toBe(v1);
      for (const url of [`/api/bpm/definitions/nope_${id}/xml`, `/api/bpm/definitions/${id}/xml?version=9`]) {
        const missing = await t().request('GET', url, { cookie: keeper.cookie });
        expect(missing.status).toBe(404);
        expect(missing.body.error.code).toBe('NOT_FOUND');
      }
      const bad = await t().request('GET', `/api/bpm/definitions/${id}/xml?version=abc`, {
        cookie: keeper.cookie,
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.issues[0].path).toBe('version');
      expect((await t().request('GET', `/api/bpm/definitions/${id}/xml`)).status).toBe(401);

      const stats = await t().request('GET', `/api/bpm/definitions/${id}/statistics?version=1`, {
        cookie: t().admin.cookie,
      });
      expect(stats.status).toBe(200);
      const byElement = Object.fromEntries(
        stats.body.items.map((s: { elementId: string }) => [s.elementId, s]),
      ) as Record<string, { active: number; incidents: number; completed: number }>;
      expect(byElement.start).toEqual({ elementId: 'start', active: 0, incidents: 0, completed: 3 });
      expect(byElement.call).toMatchObject({ incidents: 1, completed: 2 });
      expect(byElement.review).toEqual({ elementId: 'review', active: 1, incidents: 0, completed: 1 });
      expect(byElement.end).toEqual({ elementId: 'end', active: 0, incidents: 0, completed: 1 });
      const latestStats = await t().request('GET', `/api/bpm/definitions/${id}/statistics`, {
        cookie: t().admin.cookie,
      });
      expect(latestStats.body).toEqual({ processId: id, version: 2, items: [] });
      expect(
        (await t().request('GET', `/api/bpm/definitions/${id}/statistics`, { cookie: keeper.cookie })).status,
      ).toBe(403);
      expect(
        (await t().request('GET', `/api/bpm/definitions/nope_${id}/statistics`, { cookie: t().admin.cookie }))
          .status,
      ).toBe(404);
    });

    it('instances: paged newest first with open incidents; others read only what they started or have a task in', async () => {
      const id = pid('visible');
      await deployOk(t(), model(id));
      const failed = await start(t(), id, { failWith: 'BROKEN' });
      const waiting = await start(t(), id, { failWith: null });
      const starter = await t().createUser(['employee']);
      const own = await start(t(), id, { failWith: null }, starter.cookie);
      const keeper = await t().createUser(['warehouse']);
      const other = await t().createUser(['sales_manager']);
      const list = (cookie: string, query = '') =>
        t().request('GET', `/api/bpm/instances?processId=${id}${query}`, { cookie });

      const admin = await list(t().admin.cookie);
      expect(admin.status).toBe(200);
      expect(admin.body.total).toBe(3);
      expect(admin.body.items.map((i: Item) => i.id)).toEqual([own.id, waiting.id, failed.id]);
      expect(admin.body.items[2]).toMatchObject({
        processId: id,
        version: 1,
        state: 'failed',
        businessKey: null,
        endedAt: null,
        openIncidents: 1,
      });
      expect(admin.body.items[0].openIncidents).toBe(0);
      const page = await list(t().admin.cookie, '&limit=1&offset=1');
      expect(page.body).toMatchObject({ total: 3, items: [{ id: waiting.id }] });
      expect((await list(t().admin.cookie, '&limit=0')).body).toEqual({ items: [], total: 3 });
      expect((await list(t().admin.cookie, '&state=failed')).body.total).toBe(1);
      const tooMany = await list(t().admin.cookie, '&limit=501');
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.error.details.issues[0].path).toBe('limit');

      // The starter sees their own; the warehouse (offered the review) the two waiting there; others none.
      expect((await list(starter.cookie)).body.items.map((i: Item) => i.id)).toEqual([own.id]);
      expect((await list(keeper.cookie)).body.items.map((i: Item) => i.id)).toEqual([own.id, waiting.id]);
      expect((await list(other.cookie)).body).toEqual({ items: [], total: 0 });

      const read = (instanceId: string, cookie?: string) =>
        t().request('GET', `/api/bpm/instances/${instanceId}`, cookie ? { cookie } : {});
      expect((await read(own.id, starter.cookie)).status).toBe(200);
      expect((await read(waiting.id, starter.cookie)).status).toBe(403);
      expect((await read(own.id, other.cookie)).status).toBe(403);
      expect((await read(failed.id, keeper.cookie)).status).toBe(403);
      expect((await read(own.id)).status).toBe(401);
      expect((await read('00000000-0000-4000-8000-000000000000', starter.cookie)).status).toBe(404);
      const nobody = await t().createUser([]);
      expect((await list(nobody.cookie)).status).toBe(403);

      // Once the keeper completed the review, the instance stays theirs to read; history names who acted.
      const [task] = await tasksOf(t(), own.id, keeper.cookie);
      await t().request('POST', `/api/bpm/tasks/${task?.id}/claim`, { cookie: keeper.cookie });
      await t().request('POST', `/api/bpm/tasks/${task?.id}/complete`, { cookie: keeper.cookie, body: {} });
      const view = await read(own.id, keeper.cookie);
      expect(view.status).toBe(200);
      expect(view.body.state).toBe('completed');
      const actorOf = (elementId: string) =>
        view.body.history.find((h: { elementId: string }) => h.elementId === elementId)?.actor;
      expect(actorOf('start')).toBe(starter.email);
      expect(actorOf('review')).toBe(keeper.email);

      const incidents = (await read(failed.id, t().admin.cookie)).body.incidents;
      expect(incidents).toMatchObject([{ elementId: 'call', code: 'BROKEN', state: 'open' }]);
      expect(typeof incidents[0].message).toBe('string');
      expect(Date.parse(incidents[0].createdAt)).not.toBeNaN();
    });
  },
  { modules: [bpmTestModule] },
);
