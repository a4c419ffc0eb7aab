// What the server believes its database holds for stock postings planned as one statement
// (post-planned.ts): balances as they will be once every group it sent has committed, the
// warehouses and products with their rows' versions, and for products with a reorder level
// every warehouse they have a balance in. Beliefs only: the planned statement checks each under
// lock and writes nothing if one is wrong. Learnt from the locking path's reads after each
// commit; a planned statement that found them wrong forgets what it relied on.
import type { Found } from './document-input.js';
import type { Balance } from './posting.js';

export type Beliefs = {
  /** Warehouses and products, by `kind|id`. */
  rows: Map<string, Found>;
  /** By `productId|warehouseId`. */
  balances: Map<string, Balance>;
  /** Products with a reorder level: the warehouses of all their balance rows. */
  spread: Map<string, string[]>;
};

/**
 * Entries kept of each kind: past it, a kind is forgotten at once (each key then costs one
 * locking group to learn again). 50 000 balances take about 10 MB.
 */
const MOST = 50_000;

const byHome = new WeakMap<object, Beliefs>();

/** The beliefs about one database (`home`: one object per database, from the registry). */
export function beliefsOf(home: object): Beliefs {
  let beliefs = byHome.get(home);
  if (!beliefs) {
    beliefs = { rows: new Map(), balances: new Map(), spread: new Map() };
    byHome.set(home, beliefs);
  }
  return beliefs;
}

export const rowKey = (kind: Found['kind'], id: string) => `${kind}|${id}`;
export const balanceKey = (productId: string, warehouseId: string) => `${productId}|${warehouseId}`;

/** Sets an entry, forgetting the whole kind first when it is full. */
export function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (map.size >= MOST && !map.has(key)) map.clear();
  map.set(key, value);
}
