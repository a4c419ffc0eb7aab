// The 21 BPMN MIWG reference models (CC BY 3.0, the OMG BPMN Model Interchange Working Group),
// read from ../shared/bpmn/miwg: every one parses; each executable process deploys or is refused
// with its exact problems; for every process, which element types the engine executes.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { installedModules } from '../index.js';
import { compileProcess, decodeXml, parseBpmn } from './model.js';

const DIR = '../shared/bpmn/miwg';
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.bpmn'))
  .sort();
const actions = new Set(installedModules.flatMap((m) => m.actions.map((a) => `${m.name}.${a.name}`)));

describe('BPMN MIWG conformance', () => {
  it('has the 21 reference models', () => {
    expect(files).toHaveLength(21);
  });

  it.each(files)('%s parses, and each process deploys or is refused with exact problems', async (file) => {
    const parsed = await parseBpmn(decodeXml(readFileSync(`${DIR}/${file}`)));
    const report = parsed.processes.map((p) => {
      const { process, problems } = compileProcess(p.element, (name) => actions.has(name));
      const refused = new Set(problems.map((x) => x.elementId));
      const types = [...new Set(Object.values(process.nodes).map((n) => n.type))].sort();
      return {
        process: p.id,
        executable: p.executable,
        verdict: problems.length === 0 ? 'deploys' : 'refused',
        executes: types.filter((type) =>
          Object.values(process.nodes).some((n) => n.type === type && !refused.has(n.id)),
        ),
        problems: p.executable
          ? problems.map(
              (x) => `${x.elementType} ${x.elementId}${x.name ? ` "${x.name}"` : ''}: ${x.message}`,
            )
          : problems.length,
      };
    });
    expect({ warnings: parsed.warnings.length, report }).toMatchSnapshot();
  });
});
