// `npm run docs:bpmn-coverage`: writes docs/bpmn-coverage.md from the MIWG models (see
// coverage-report.ts); run it after the engine learns or refuses an element.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { coverageReport } from './coverage-report.js';

export const COVERAGE_DOC = join(import.meta.dirname, '..', '..', '..', 'docs', 'bpmn-coverage.md');

writeFileSync(COVERAGE_DOC, await coverageReport());
console.log(`Wrote ${COVERAGE_DOC}`);
