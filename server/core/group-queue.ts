// The waiting line of a group-committed action: calls are taken as they come, and while a
// group is running the next ones wait and then run together. Nothing waits for a timer: a
// call that finds a free slot runs at once (a group of one), so grouping costs no latency when
// the server is quiet, and under load the groups grow by themselves.

export type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

type Waiting<T> = { item: T; resolve(value: unknown): void; reject(error: unknown): void };

export type GroupQueueOptions<T> = {
  /** Most calls in one group. */
  maxSize: number;
  /** Groups running at once: one can build while another waits for its commit. */
  parallel: number;
  /**
   * Right after a group, how long (ms) the next one may wait to grow back to the last group's
   * size: the callers just answered are sending their next calls, and a group of the first one
   * alone would cost a whole transaction for one call. A quiet server never waits.
   */
  linger: number;
  /** Items with the same key never share a group (a retry waits for its first call). */
  keyOf(item: T): string | undefined;
  run(items: T[]): Promise<Settled[]>;
};

export class GroupQueue<T> {
  private readonly waiting: Waiting<T>[] = [];
  private running = 0;
  private lastSize = 0;
  private lastEnd = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: GroupQueueOptions<T>) {}

  submit(item: T): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.options.parallel && this.waiting.length > 0) {
      const wait = this.lastEnd + this.options.linger - performance.now();
      if (this.waiting.length < this.lastSize && wait > 0) {
        this.timer ??= setTimeout(() => {
          this.timer = undefined;
          this.lastSize = 0;
          this.pump();
        }, wait);
        return;
      }
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
      const group = this.take();
      this.lastSize = group.length;
      this.running++;
      this.options
        .run(group.map((w) => w.item))
        .then(
          (settled) =>
            group.forEach((w, i) => {
              const s = settled[i];
              if (!s) w.reject(new Error('A grouped call got no outcome'));
              else if (s.ok) w.resolve(s.value);
              else w.reject(s.error);
            }),
          (error: unknown) => {
            for (const w of group) w.reject(error);
          },
        )
        .finally(() => {
          this.running--;
          this.lastEnd = performance.now();
          this.pump();
        });
    }
  }

  /** The next group: the longest-waiting calls, passing over repeats of a key already in it. */
  private take(): Waiting<T>[] {
    const group: Waiting<T>[] = [];
    const keys = new Set<string>();
    const left: Waiting<T>[] = [];
    for (const w of this.waiting) {
      const key = this.options.keyOf(w.item);
      if (group.length >= this.options.maxSize || (key !== undefined && keys.has(key))) {
        left.push(w);
        continue;
      }
      if (key !== undefined) keys.add(key);
      group.push(w);
    }
    this.waiting.splice(0, this.waiting.length, ...left);
    return group;
  }
}
