// Builds the web app when web/dist is missing or older than its sources, so `npm start`
// on a fresh clone serves the current app without a separate build step.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'dist' || entry === 'node_modules' || entry.endsWith('.test.ts')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

export function webBuildIsStale(root: string): boolean {
  const built = join(root, 'web', 'dist', 'index.html');
  if (!existsSync(built)) return true;
  const sources = [join(root, 'web'), join(root, 'vite.config.ts'), join(root, 'package-lock.json')].filter(
    existsSync,
  );
  return Math.max(...sources.map(newestMtime)) > statSync(built).mtimeMs;
}

export async function buildWeb(root: string, log: (line: string) => void): Promise<void> {
  log('Building the web app (vite build)...');
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
      {
        cwd: root,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`)),
    );
  });
  log(`Web app built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}
