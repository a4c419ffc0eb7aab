// Resolved sessions kept for a few seconds, so that a busy client's requests do not each cost
// the session query (a quarter of a stock posting's database time). Exact within this process:
// every change to accounts, sessions, roles or grants commits and then calls
// `accountsChanged()`, which makes every entry stale, and a lookup that began before such a
// change is never stored. Other processes sharing the database see a change within TTL_MS.
import type { Actor } from '../core/module.js';

export const SESSION_CACHE_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

type Entry = { actor: Actor; seenAt: number | null; expiresAt: number; cachedAt: number; generation: number };

let generation = 0;

/** Call after the commit of anything that changes who a session's user is or may do. */
export function accountsChanged(): void {
  generation++;
}

export type SessionCache = {
  /** The cached actor, unless stale, expired, or due for its sliding-expiry write. */
  get(tokenHash: string, touchMs: number): Actor | null;
  /** Begins a lookup: its result may be stored only if no change committed meanwhile. */
  begin(): number;
  set(tokenHash: string, since: number, entry: Omit<Entry, 'cachedAt' | 'generation'>): void;
};

export function createSessionCache(ttlMs = SESSION_CACHE_TTL_MS): SessionCache {
  const entries = new Map<string, Entry>();
  return {
    get(tokenHash, touchMs) {
      const entry = entries.get(tokenHash);
      if (!entry) return null;
      const now = Date.now();
      const fresh =
        entry.generation === generation &&
        now - entry.cachedAt < ttlMs &&
        now < entry.expiresAt &&
        entry.seenAt !== null &&
        now - entry.seenAt <= touchMs;
      if (fresh) return entry.actor;
      entries.delete(tokenHash);
      return null;
    },
    begin: () => generation,
    set(tokenHash, since, entry) {
      if (since !== generation || ttlMs <= 0) return;
      // Bounded: past the limit the oldest entries go first (a Map keeps insertion order).
      if (entries.size >= MAX_ENTRIES) {
        for (const key of [...entries.keys()].slice(0, MAX_ENTRIES / 10)) entries.delete(key);
      }
      entries.delete(tokenHash);
      entries.set(tokenHash, { ...entry, cachedAt: Date.now(), generation });
    },
  };
}
