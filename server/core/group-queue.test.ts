// The group queue: calls run at once when nothing runs, wait and run together when something
// does, a key never twice in one group, and each call gets its own outcome.
import { describe, expect, it } from 'vitest';
import { GroupQueue, type Settled } from './group-queue.js';

type Item = { n: number; key?: string };

function queue(options: { parallel?: number; linger?: number; fail?: (n: number) => boolean } = {}) {
  const groups: number[][] = [];
  let release: () => void = () => {};
  let gate = Promise.resolve();
  const q = new GroupQueue<Item>({
    maxSize: 4,
    parallel: options.parallel ?? 1,
    linger: options.linger ?? 0,
    keyOf: (item) => item.key,
    async run(items): Promise<Settled[]> {
      groups.push(items.map((i) => i.n));
      await gate;
      return items.map((i) =>
        options.fail?.(i.n) ? { ok: false, error: new Error(`no ${i.n}`) } : { ok: true, value: i.n * 10 },
      );
    },
  });
  return {
    q,
    groups,
    hold() {
      gate = new Promise((resolve) => {
        release = resolve;
      });
    },
    release: () => release(),
  };
}

describe('group queue', () => {
  it('runs a lone call at once, and the calls that came meanwhile together, at most maxSize', async () => {
    const t = queue();
    t.hold();
    const first = t.q.submit({ n: 1 });
    const rest = [2, 3, 4, 5, 6, 7].map((n) => t.q.submit({ n }));
    expect(t.groups).toEqual([[1]]);
    t.release();
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(t.groups).toEqual([[1], [2, 3, 4, 5], [6, 7]]);
  });

  it('never puts one key twice in a group', async () => {
    const t = queue();
    t.hold();
    const calls = [
      t.q.submit({ n: 1 }),
      t.q.submit({ n: 2, key: 'a' }),
      t.q.submit({ n: 3, key: 'a' }),
      t.q.submit({ n: 4, key: 'b' }),
    ];
    t.release();
    await Promise.all(calls);
    expect(t.groups).toEqual([[1], [2, 4], [3]]);
  });

  it('answers each call its own outcome, and every call the error of a failed group', async () => {
    const t = queue({ fail: (n) => n === 2 });
    const results = await Promise.allSettled([1, 2, 3].map((n) => t.q.submit({ n })));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const broken = new GroupQueue<Item>({
      maxSize: 4,
      parallel: 1,
      linger: 0,
      keyOf: () => undefined,
      run: () => Promise.reject(new Error('lost connection')),
    });
    await expect(broken.submit({ n: 1 })).rejects.toThrow('lost connection');
  });

  it('lets the next group wait briefly to regrow after a group, but a quiet queue never waits', async () => {
    const t = queue({ linger: 30 });
    await Promise.all([1, 2, 3].map((n) => t.q.submit({ n })));
    // Right after a group of three, a lone call waits for company (up to 30 ms)...
    const lone = t.q.submit({ n: 4 });
    expect(t.groups).toEqual([[1], [2, 3]]);
    const company = t.q.submit({ n: 5 });
    await Promise.all([lone, company]);
    expect(t.groups).toEqual([[1], [2, 3], [4, 5]]);
    // ...and once the linger has passed, a call runs at once.
    await new Promise((resolve) => setTimeout(resolve, 40));
    const late = t.q.submit({ n: 6 });
    expect(t.groups.at(-1)).toEqual([6]);
    await late;
  });
});
