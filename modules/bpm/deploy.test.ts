import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { bpmn, chain, deploy, deployOk, flow, instance, pid, start } from './test-helpers.js';

const simple = (id: string, name = 'end') =>
  bpmn(id, `<bpmn:startEvent id="start" /><bpmn:endEvent id="${name}" />${flow('f1', 'start', name)}`);

describeEachBackend('bpm deployments', (t) => {
  it('deploys each executable process as a new version; the same file makes none', async () => {
    const id = pid('versions');
    const first = await deployOk(t(), simple(id));
    expect(first.processes).toEqual([{ processId: id, version: 1, created: true }]);
    const again = await deployOk(t(), simple(id));
    expect(again.processes).toEqual([{ processId: id, version: 1, created: false }]);
    const changed = await deployOk(t(), simple(id, 'done'));
    expect(changed.processes).toEqual([{ processId: id, version: 2, created: true }]);

    const latest = await t().request('GET', '/api/bpm/definitions', { cookie: t().admin.cookie });
    expect(latest.body.items.filter((d: { processId: string }) => d.processId === id)).toMatchObject([
      { processId: id, version: 2, name: `Test ${id}` },
    ]);
    const all = await t().request('GET', '/api/bpm/definitions?all=true', { cookie: t().admin.cookie });
    expect(
      all.body.items
        .filter((d: { processId: string }) => d.processId === id)
        .map((d: { version: number }) => d.version),
    ).toEqual([2, 1]);
  });

  it('starts the newest version as soon as it is deployed, and an older one when asked', async () => {
    const id = pid('newest');
    await deployOk(t(), simple(id));
    const endOf = async (instanceId: string) => (await instance(t(), instanceId)).history.at(-1)?.elementId;
    // Started twice: the second start goes by the definition the first one found.
    expect(await endOf((await start(t(), id)).id)).toBe('end');
    expect(await endOf((await start(t(), id)).id)).toBe('end');
    await deployOk(t(), simple(id, 'done'));
    expect(await endOf((await start(t(), id)).id)).toBe('done');
    const older = await t().request('POST', '/api/bpm/instances', {
      cookie: t().admin.cookie,
      body: { processId: id, version: 1 },
    });
    expect(older.status).toBe(201);
    expect(await endOf(older.body.id)).toBe('end');
    expect(await endOf((await start(t(), id)).id)).toBe('done');
  });

  it('refuses malformed XML, a non-BPMN document and a body over 5 MB with a 4xx', async () => {
    const broken = await deploy(
      t(),
      '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process',
    );
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('BPMN_UNREADABLE');
    const notBpmn = await deploy(t(), '<html><body>hello</body></html>');
    expect(notBpmn.status).toBe(400);
    expect(notBpmn.body.error.message).toMatch(/not BPMN/);
    const huge = await deploy(
      t(),
      simple(pid('huge')).replace('<bpmn:process', `<!-- ${'x'.repeat(5 * 1024 * 1024)} --><bpmn:process`),
    );
    expect(huge.status).toBe(413);
  });

  it('only admins deploy', async () => {
    const user = await t().createUser(['warehouse']);
    const response = await deploy(t(), simple(pid('perm')), user.cookie);
    expect(response.status).toBe(403);
  });

  it('lists every problem of a model: element, flow condition, FEEL syntax, JavaScript, task type', async () => {
    const id = pid('problems');
    const xml = bpmn(
      id,
      `<bpmn:startEvent id="start" />
      <bpmn:complexGateway id="complex" name="Complex" />
      <bpmn:exclusiveGateway id="xor" default="toB" />
      <bpmn:task id="a" /><bpmn:task id="b" /><bpmn:task id="c" />
      <bpmn:serviceTask id="svc" name="Ship"><bpmn:extensionElements><zeebe:taskDefinition type="erp.noSuchAction" /></bpmn:extensionElements></bpmn:serviceTask>
      <bpmn:scriptTask id="js" scriptFormat="JavaScript"><bpmn:script>next()</bpmn:script></bpmn:scriptTask>
      <bpmn:endEvent id="end" />
      ${flow('f1', 'start', 'xor')}
      ${flow('toA', 'xor', 'a', '=amount &gt;* 3')}
      ${flow('toB', 'xor', 'b')}
      ${flow('toC', 'xor', 'c')}
      ${flow('toJs', 'a', 'js')}
      ${chain(['b', 'svc', 'complex', 'end'], 'g')}
      ${flow('h1', 'c', 'end')}
      ${flow('h2', 'js', 'end')}`,
    );
    const response = await deploy(t(), xml);
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('BPMN_INVALID');
    const problems = response.body.error.details.problems as {
      elementId: string;
      elementType: string;
      message: string;
    }[];
    const byId = Object.fromEntries(problems.map((p) => [p.elementId, p]));
    expect(byId.complex).toMatchObject({ elementType: 'bpmn:ComplexGateway', name: 'Complex' });
    expect(byId.complex?.message).toMatch(/ComplexGateway is not supported/);
    expect(byId.toC?.message).toMatch(/needs a condition/);
    expect(byId.toA?.message).toMatch(/FEEL syntax error at \d+-\d+/);
    expect(byId.svc?.message).toMatch(/"erp.noSuchAction" names no registered action/);
    expect(byId.js?.message).toMatch(/JavaScript script is never executed/);
    expect(problems).toHaveLength(5);
    // nothing of a refused model is deployed
    const all = await t().request('GET', '/api/bpm/definitions?all=true', { cookie: t().admin.cookie });
    expect(all.body.items.some((d: { processId: string }) => d.processId === id)).toBe(false);
  });

  it('refuses the JavaScript conditions of engine-cases/conditional-flows.bpmn by name', async () => {
    const xml = readFileSync('../shared/bpmn/engine-cases/conditional-flows.bpmn', 'utf8');
    const response = await deploy(t(), xml);
    expect(response.status).toBe(422);
    const problems = response.body.error.details.problems as { elementId: string; message: string }[];
    expect(problems.find((p) => p.elementId === 'cond-to-task2')?.message).toMatch(
      /"\$\{environment.variables.take2\}" is a JavaScript\/JUEL expression/,
    );
    expect(problems.find((p) => p.elementId === 'cond-to-task4')?.message).toMatch(/written in javascript/);
  });
});
