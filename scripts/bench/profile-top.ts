// Prints the functions a .cpuprofile spent most time in, by self time and by total time:
// `npx tsx scripts/bench/profile-top.ts file.cpuprofile [count]`.
import { readFileSync } from 'node:fs';

type Node = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
};
const [file, countArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-top.ts file.cpuprofile [count]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[] };
const count = Number(countArg ?? 40);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n: Node) =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(node_modules\/)?/, '')}:${n.callFrame.lineNumber + 1}`;
const self = new Map<string, number>();
const total = new Map<string, number>();
let all = 0;
for (const n of profile.nodes) {
  const hits = n.hitCount ?? 0;
  all += hits;
  self.set(label(n), (self.get(label(n)) ?? 0) + hits);
  // Total: every distinct function on the stack of these samples, once.
  const seen = new Set<string>();
  for (let at: Node | undefined = n; at; at = byId.get(parent.get(at.id) ?? -1)) seen.add(label(at));
  for (const l of seen) total.set(l, (total.get(l) ?? 0) + hits);
}
const print = (title: string, map: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [l, hits] of [...map].sort((a, b) => b[1] - a[1]).slice(0, count))
    console.log(`${((100 * hits) / all).toFixed(1).padStart(5)}%  ${l}`);
};
print('self', self);
print('total', total);
