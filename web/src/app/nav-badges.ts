// Counts shown beside navigation entries (e.g. the task inbox), set by a module's background work.
import { useSyncExternalStore } from 'react';

const counts = new Map<string, number>();
const listeners = new Set<() => void>();

/** Shows `count` beside the navigation entry at `path`; 0 or null hides it. */
export function setNavBadge(path: string, count: number | null): void {
  const next = count && count > 0 ? count : 0;
  if ((counts.get(path) ?? 0) === next) return;
  if (next) counts.set(path, next);
  else counts.delete(path);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The count beside the entry at `path`, 0 when none; re-renders when it changes. */
export function useNavBadge(path: string): number {
  return useSyncExternalStore(subscribe, () => counts.get(path) ?? 0);
}
