// `npm start` runs the server compiled to plain JavaScript under dist/ (one file per source
// file, imports unchanged), not through tsx: the runtime compiler's loader thread and caches
// cost the server ~45 MB of its memory. esbuild transpiles the server's files in about a second,
// so every start builds afresh and dist/ is never stale.
import { readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
/** Folders of server-side code; tests, benches and test helpers stay out. */
const SOURCES = ['server', 'modules', 'db', 'workflows'];
const skipped = (file: string) =>
  /\.test\.ts$/.test(file) ||
  /(^|\/)(bench|testing)\//.test(file) ||
  /test-(helpers|fixtures)\.ts$/.test(file);

/** The V8 flags the server runs with (package.json's start script and the benches use them). */
export const SERVER_NODE_FLAGS = [
  // A young generation of 2 MB semi-spaces instead of up to 16 MB: ~35 MB less at peak under
  // load, no measurable CPU cost (bench:stock).
  '--max-semi-space-size=2',
  // A JS heap ceiling puts V8's heap growth in its memory-constrained mode: under the core bench
  // on PostgreSQL the peak fell from 208-211 MB to 136-144 MB at the same rates. The largest
  // requests (an import of 50 000 rows, an export of 200 000 clients) stream and stay far below.
  '--max-old-space-size=512',
];
/** The compiled entry point, relative to the project's folder. */
export const SERVER_ENTRY = 'dist/server/cli/start.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .filter((file) => !skipped(file));
}

export async function buildServer(): Promise<void> {
  for (const dir of SOURCES) rmSync(join(root, 'dist', dir), { recursive: true, force: true });
  await build({
    entryPoints: SOURCES.flatMap(sourceFiles).map((file) => join(root, file)),
    outdir: join(root, 'dist'),
    outbase: root,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    logLevel: 'warning',
  });
}

/** Builds the server, then answers the arguments that run it as `npm start` does (for benches). */
export async function startArguments(): Promise<string[]> {
  await buildServer();
  return [...SERVER_NODE_FLAGS, SERVER_ENTRY];
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await buildServer();
