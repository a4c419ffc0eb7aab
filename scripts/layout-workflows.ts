// `npm run layout:workflows`: draws the diagram (BPMNDI) of every shipped workflow from its
// semantic model, so a model can be edited as text and still open in bpmn-js and the Camunda
// Modeler. Re-run after changing the flows of a file in workflows/.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { layoutProcess } from 'bpmn-auto-layout';
import { BpmnModdle } from 'bpmn-moddle';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };

type El = {
  $type: string;
  id?: string;
  sourceRef?: El;
  targetRef?: El;
  flowElements?: El[];
  incoming?: El[];
  outgoing?: El[];
  rootElements?: El[];
  diagrams?: unknown[];
};

const dir = join(import.meta.dirname, '..', 'workflows');
const moddle = new BpmnModdle({ zeebe });

/** The auto-layout follows incoming/outgoing references, which hand-written XML leaves out. */
function linkFlows(container: El): void {
  const flows = (container.flowElements ?? []).filter((e) => e.$type === 'bpmn:SequenceFlow');
  for (const node of container.flowElements ?? []) {
    if (node.$type === 'bpmn:SequenceFlow') continue;
    node.incoming = flows.filter((f) => f.targetRef === node);
    node.outgoing = flows.filter((f) => f.sourceRef === node);
    if (node.flowElements) linkFlows(node);
  }
}

for (const file of readdirSync(dir).filter((f) => f.endsWith('.bpmn'))) {
  const path = join(dir, file);
  const { rootElement } = (await moddle.fromXML(readFileSync(path, 'utf8'))) as { rootElement: El };
  rootElement.diagrams = [];
  for (const root of rootElement.rootElements ?? []) if (root.$type === 'bpmn:Process') linkFlows(root);
  const { xml } = await moddle.toXML(rootElement, { format: true });
  writeFileSync(path, `${await layoutProcess(xml)}\n`);
  process.stdout.write(`laid out ${file}\n`);
}
