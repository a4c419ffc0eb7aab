// `npm test`: formatter and linter, type-checks of server and web, the unit and data tests
// (on PGlite, and on PostgreSQL when TEST_DATABASE_URL is set), and the browser tests (when
// Chromium is installed). It ends by saying plainly what did not run and how to run it.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const artifacts = join(root, '.test-artifacts');
mkdirSync(artifacts, { recursive: true });
const inCi = process.env.CI === 'true';
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

type Step = { name: string; status: 'passed' | 'failed' | 'skipped'; note?: string };
const steps: Step[] = [];
const counts = { passed: 0, failed: 0, skipped: 0 };

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolve(1));
  });
}

function addVitestCounts(file: string): void {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  counts.passed += report.numPassedTests;
  counts.failed += report.numFailedTests;
  counts.skipped += report.numPendingTests + report.numTodoTests;
}

async function step(
  name: string,
  command: string,
  args: string[],
  env?: NodeJS.ProcessEnv,
): Promise<boolean> {
  process.stdout.write(`\n=== ${name} ===\n`);
  const code = await run(command, args, env);
  steps.push({ name, status: code === 0 ? 'passed' : 'failed' });
  if (code !== 0 && !name.startsWith('Unit')) counts.failed++;
  return code === 0;
}

await step('Format and lint (biome)', bin('biome'), ['check', '.']);
await step('Type-check server', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
await step('Type-check web', bin('tsc'), ['-p', 'web/tsconfig.json', '--noEmit']);

const unitReport = join(artifacts, 'vitest-unit.json');
const backends = process.env.TEST_DATABASE_URL ? 'PGlite and PostgreSQL' : 'PGlite';
await step(`Unit and data tests (${backends})`, bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${unitReport}`,
]);
addVitestCounts(unitReport);
if (!process.env.TEST_DATABASE_URL) {
  steps.push({
    name: 'Data tests on PostgreSQL',
    status: 'skipped',
    note:
      'TEST_DATABASE_URL is not set. Run them with a PostgreSQL 15+ you can create schemas in:\n' +
      '      TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm test   (or: bash .ci/run)',
  });
}

if (existsSync(chromium)) {
  const browserReport = join(artifacts, 'vitest-browser.json');
  await step('Browser tests (Chromium)', bin('vitest'), [
    'run',
    '--config',
    'vitest.browser.config.ts',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${browserReport}`,
  ]);
  addVitestCounts(browserReport);
} else {
  steps.push({
    name: 'Browser tests (Chromium)',
    status: inCi ? 'failed' : 'skipped',
    note: `no Chromium at ${chromium}. Install Debian's: apt-get install -y chromium (or set CHROMIUM_PATH), then npm test`,
  });
  if (inCi) counts.failed++;
}

process.stdout.write('\n=== Summary ===\n');
for (const s of steps) {
  process.stdout.write(`  ${s.status.toUpperCase().padEnd(7)} ${s.name}\n`);
  if (s.note) process.stdout.write(`          ${s.note}\n`);
}
const skippedSuites = steps.filter((s) => s.status === 'skipped');
if (skippedSuites.length > 0) {
  process.stdout.write(
    `\nNot run here: ${skippedSuites.map((s) => s.name).join('; ')} (see above for how to run them).\n`,
  );
}
const failed = steps.some((s) => s.status === 'failed');
process.stdout.write(
  `\nTests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`,
);
process.exit(failed ? 1 : 0);
