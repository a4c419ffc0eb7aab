// How the posting screen's product field finds a product from what was typed or scanned:
// an exact SKU (any case) or barcode wins, then SKUs that start with the text, then names
// whose words start with it, then names that contain it.

export type Findable = { sku: string; name: string; barcode: string | null; active?: boolean };

/** 0 exact code, 1 SKU prefix, 2 name prefix, 3 word prefix in the name, 4 contains; null: no match. */
export function matchRank(product: Findable, query: string): number | null {
  const text = query.trim().toLocaleLowerCase();
  if (!text) return null;
  const sku = product.sku.toLocaleLowerCase();
  const name = product.name.toLocaleLowerCase();
  if (sku === text || product.barcode === query.trim()) return 0;
  if (sku.startsWith(text)) return 1;
  if (name.startsWith(text)) return 2;
  if (name.split(/[\s\-_/.,()]+/).some((word) => word.startsWith(text))) return 3;
  if (name.includes(text) || sku.includes(text)) return 4;
  return null;
}

/** The products that match, best first; inactive ones are left out. */
export function rankProducts<T extends Findable>(products: readonly T[], query: string): T[] {
  return products
    .map((product, index) => ({
      product,
      index,
      rank: product.active === false ? null : matchRank(product, query),
    }))
    .filter((entry): entry is { product: T; index: number; rank: number } => entry.rank !== null)
    .sort((a, b) => a.rank - b.rank || a.product.sku.length - b.product.sku.length || a.index - b.index)
    .map((entry) => entry.product);
}

/** The product whose SKU or barcode is exactly the code, if one is in the list. */
export function exactMatch<T extends Findable>(products: readonly T[], code: string): T | null {
  return products.find((product) => product.active !== false && matchRank(product, code) === 0) ?? null;
}
