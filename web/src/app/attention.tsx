// "Waiting for you" on the home page: what each module counts as needing this user now (tasks,
// overdue calls, products to reorder), a number and a link each; nothing when all is done.
import { type ReactNode, useEffect, useState } from 'react';
import { Link } from './router';

export type AttentionItem = { key: string; count: number; label: string; to: string; tone?: 'danger' };

/** One module's items, loaded once when the home page opens; hidden while loading or at 0. */
export function AttentionItems({ load }: { load: (signal: AbortSignal) => Promise<AttentionItem[]> }) {
  const [items, setItems] = useState<AttentionItem[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal)
      .then((loaded) => setItems(loaded.filter((item) => item.count > 0)))
      .catch(() => {
        // A count that cannot be read is left out: the module's own page says why.
      });
    return () => controller.abort();
  }, [load]);
  return (
    <>
      {items.map((item) => (
        <AttentionLink key={item.key} item={item} />
      ))}
    </>
  );
}

export function AttentionLink({ item }: { item: AttentionItem }): ReactNode {
  return (
    <li>
      <Link
        to={item.to}
        className={`attention${item.tone === 'danger' ? ' attention-danger' : ''}`}
        data-testid={`attention-${item.key}`}
      >
        <span className="attention-count">{item.count}</span>
        <span className="attention-label">{item.label}</span>
      </Link>
    </li>
  );
}
