// docs/bpmn-coverage.md is what the coverage script produces from the MIWG models now, so it
// cannot go stale; and the report says what a reader of it relies on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coverageReport } from './coverage-report.js';

const DOC = join(import.meta.dirname, '..', '..', '..', 'docs', 'bpmn-coverage.md');

describe('docs/bpmn-coverage.md', () => {
  it('equals what `npm run docs:bpmn-coverage` writes now (run it after changing the engine)', async () => {
    expect(readFileSync(DOC, 'utf8')).toBe(await coverageReport());
  });

  it('covers the 21 models, credits the MIWG and lists the exact deploy problems', async () => {
    const report = await coverageReport();
    expect(report.match(/^### .+\.bpmn$/gm)).toHaveLength(21);
    expect(report).toContain('CC BY 3.0');
    // a model drawn without isExecutable is refused as a whole, with that reason
    expect(report).toMatch(/### A\.1\.0\.bpmn[\s\S]*?refused[\s\S]*?No process is marked executable/);
  });
});
