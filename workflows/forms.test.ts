// Every shipped form speaks Uzbek and Russian as well as English: each text a person reads has
// an entry in the form's translations block (see web/src/modules/bpm/localize-form.ts), and each
// form a workflow names is shipped.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readShippedWorkflows } from '../modules/bpm/shipped-workflows.js';

type Component = {
  label?: string;
  dateLabel?: string;
  placeholder?: string;
  values?: { label: string }[];
  columns?: { label: string }[];
  components?: Component[];
};
type Form = { id: string; components: Component[]; translations?: Record<string, Record<string, string>> };

const dir = import.meta.dirname;
const forms = readdirSync(dir)
  .filter((f) => f.endsWith('.form'))
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Form);

function texts(components: Component[], into = new Set<string>()): Set<string> {
  for (const c of components) {
    for (const t of [c.label, c.dateLabel, c.placeholder]) if (t) into.add(t);
    for (const item of [...(c.values ?? []), ...(c.columns ?? [])]) into.add(item.label);
    texts(c.components ?? [], into);
  }
  return into;
}

describe('the shipped forms', () => {
  it.each(forms.map((f) => [f.id, f] as const))('%s has every text in Uzbek and Russian', (_id, form) => {
    for (const locale of ['uz', 'ru']) {
      const table = form.translations?.[locale] ?? {};
      expect(
        [...texts(form.components)].filter((t) => !table[t]),
        locale,
      ).toEqual([]);
    }
  });

  it.each(forms.map((f) => [f.id, f] as const))(
    '%s writes Uzbek with ʻ and ʼ, never a plain apostrophe',
    (_id, form) => {
      const uz = Object.values(form.translations?.uz ?? {});
      expect(uz.filter((text) => /['‘’`]/.test(text))).toEqual([]);
    },
  );

  it('every form a shipped workflow names is shipped, and the workflows parse as files', () => {
    const workflows = readShippedWorkflows(dir);
    expect(workflows.map((w) => w.file).sort()).toEqual([
      'complaint-escalation.bpmn',
      'deal-to-shipment.bpmn',
      'lead-intake.bpmn',
      'leave-request.bpmn',
      'reorder.bpmn',
      'write-off-approval.bpmn',
    ]);
    expect(workflows.flatMap((w) => w.processIds).sort()).toEqual([
      'complaint-escalation',
      'deal-to-shipment',
      'lead-intake',
      'leave-request',
      'reorder',
      'write-off-approval',
    ]);
  });
});
