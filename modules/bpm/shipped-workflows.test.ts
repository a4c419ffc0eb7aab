// Shipped workflows across releases: a first start deploys them, a release that changes a file
// brings a server that runs it as shipped up to date, and a process someone modelled on this
// server is never replaced.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { installShippedWorkflows, systemCaller } from './shipped-workflows.js';
import { bpmn, deployOk, flow, pid } from './test-helpers.js';

const model = (id: string, end: string) =>
  bpmn(id, `<bpmn:startEvent id="start" /><bpmn:endEvent id="${end}" />${flow('f1', 'start', end)}`);

describeEachBackend('bpm shipped workflows', (t) => {
  async function versions(processId: string) {
    const all = await t().request('GET', '/api/bpm/definitions?all=true', { cookie: t().admin.cookie });
    return all.body.items
      .filter((d: { processId: string }) => d.processId === processId)
      .map((d: { version: number; deployedBy: string | null }) => ({
        version: d.version,
        deployedBy: d.deployedBy,
      }));
  }

  it('installs, updates what runs as shipped, and leaves alone what a person deployed', async () => {
    const id = pid('shipped');
    const dir = mkdtempSync(join(tmpdir(), 'onebox-shipped-'));
    const install = () => installShippedWorkflows(systemCaller(t().suite.registry), dir);

    writeFileSync(join(dir, 'order.bpmn'), model(id, 'end'));
    expect(await install()).toEqual({ installed: ['order.bpmn'], updated: [], skipped: [] });
    // The next start with the same file: nothing new.
    expect(await install()).toEqual({ installed: [], updated: [], skipped: ['order.bpmn'] });

    // A release changes the file: the server that runs it as shipped gets a new version.
    writeFileSync(join(dir, 'order.bpmn'), model(id, 'done'));
    expect(await install()).toEqual({ installed: [], updated: ['order.bpmn'], skipped: [] });
    expect(await versions(id)).toEqual([
      { version: 2, deployedBy: null },
      { version: 1, deployedBy: null },
    ]);

    // An admin models their own version; the next release's file does not replace it.
    await deployOk(t(), model(id, 'ours'));
    writeFileSync(join(dir, 'order.bpmn'), model(id, 'finished'));
    expect(await install()).toEqual({ installed: [], updated: [], skipped: ['order.bpmn'] });
    const after = await versions(id);
    expect(after).toHaveLength(3);
    expect(after[0]).toEqual({ version: 3, deployedBy: t().admin.id });
  });
});
