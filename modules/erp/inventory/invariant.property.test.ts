// Random sequences of receipts, write-offs, transfers, counts, shipments with reservations
// and reversals, some priced: after every step each balance (quantity and value) equals the sum
// of its ledger, none is negative, an empty one is worth nothing, reservations fit, and the
// balances equal a simple model of the same steps.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { AppError } from '../../../server/core/errors.js';
import { SYSTEM_ACTOR } from '../../../server/core/module.js';
import { describeEachBackend } from '../../../server/testing/test-suite.js';
import { checkStock } from './stock-check.js';
import { uniq } from './test-fixtures.js';

type Step =
  | {
      kind: 'receipt' | 'write_off' | 'count';
      product: number;
      warehouse: number;
      quantity: number;
      /** Tiyin per unit on the line (receipts and counts value stock by it), or none. */
      price: number | null;
    }
  | { kind: 'transfer'; product: number; warehouse: number; target: number; quantity: number }
  | { kind: 'reverse'; pick: number }
  | { kind: 'reserve'; product: number; warehouse: number; quantity: number }
  | { kind: 'postReserved'; pick: number };

const index = fc.integer({ min: 0, max: 1 });
const quantity = fc.integer({ min: 1, max: 8 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('receipt', 'write_off', 'count'),
    product: index,
    warehouse: index,
    quantity,
    price: fc.option(fc.integer({ min: 1, max: 9_999_999 })),
  }),
  fc.record({ kind: fc.constant('transfer'), product: index, warehouse: index, target: index, quantity }),
  fc.record({ kind: fc.constant('reverse'), pick: fc.nat() }),
  fc.record({ kind: fc.constant('reserve'), product: index, warehouse: index, quantity }),
  fc.record({ kind: fc.constant('postReserved'), pick: fc.nat() }),
) as fc.Arbitrary<Step>;

describeEachBackend('erp stock invariant (property)', (t) => {
  it('holds after every step of random document sequences', { timeout: 120_000 }, async () => {
    const call = <T>(name: string, input: unknown) =>
      t().suite.registry.call<T>(name, input, { actor: SYSTEM_ACTOR });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 25 }), async (steps) => {
        const warehouses = [
          (await call<{ id: string }>('erp.createWarehouse', { code: uniq('PW'), name: 'A' })).id,
          (await call<{ id: string }>('erp.createWarehouse', { code: uniq('PW'), name: 'B' })).id,
        ];
        const client = await call<{ id: string }>('crm.createClient', {
          kind: 'company',
          name: uniq('Mijoz'),
          confirmDuplicate: true,
        });
        const products = [
          (await call<{ id: string }>('erp.createProduct', { sku: uniq('PP'), name: 'X', unit: 'pcs' })).id,
          (await call<{ id: string }>('erp.createProduct', { sku: uniq('PP'), name: 'Y', unit: 'pcs' })).id,
        ];
        // The model: on hand and reserved per (product, warehouse), and what each document did.
        const onHand = new Map<string, number>();
        const reserved = new Map<string, number>();
        const key = (p: number, w: number) => `${p}|${w}`;
        const get = (m: Map<string, number>, k: string) => m.get(k) ?? 0;
        const posted: { id: string; effect: [string, number][] }[] = [];
        const reservedDrafts: { id: string; k: string; q: number }[] = [];
        const apply = (effect: [string, number][], sign: number) => {
          for (const [k, d] of effect) onHand.set(k, get(onHand, k) + sign * d);
        };
        const refused = (error: unknown) => error instanceof AppError && error.status < 500;

        for (const s of steps) {
          try {
            if (s.kind === 'reverse') {
              if (posted.length === 0) continue;
              const doc = posted.splice(s.pick % posted.length, 1)[0]!;
              const wouldGoBelow = doc.effect.some(([k, d]) => get(onHand, k) - d < get(reserved, k));
              try {
                await call('erp.reverseStockDocument', { id: doc.id });
                expect(wouldGoBelow).toBe(false);
                apply(doc.effect, -1);
              } catch (error) {
                if (!refused(error)) throw error;
                expect(wouldGoBelow).toBe(true);
              }
            } else if (s.kind === 'reserve') {
              const k = key(s.product, s.warehouse);
              const draft = await call<{ id: string }>('erp.createStockDocument', {
                type: 'shipment',
                warehouseId: warehouses[s.warehouse],
                clientId: client.id,
                lines: [{ productId: products[s.product], quantity: s.quantity }],
              });
              const fits = get(onHand, k) - get(reserved, k) >= s.quantity;
              try {
                await call('erp.reserveStock', { id: draft.id });
                expect(fits).toBe(true);
                reserved.set(k, get(reserved, k) + s.quantity);
                reservedDrafts.push({ id: draft.id, k, q: s.quantity });
              } catch (error) {
                if (!refused(error)) throw error;
                expect(fits).toBe(false);
              }
            } else if (s.kind === 'postReserved') {
              if (reservedDrafts.length === 0) continue;
              const draft = reservedDrafts.splice(s.pick % reservedDrafts.length, 1)[0]!;
              const doc = await call<{ id: string }>('erp.postDraft', { id: draft.id });
              reserved.set(draft.k, get(reserved, draft.k) - draft.q);
              const effect: [string, number][] = [[draft.k, -draft.q]];
              apply(effect, 1);
              posted.push({ id: doc.id, effect });
            } else {
              const k = key(s.product, s.warehouse);
              const base = {
                warehouseId: warehouses[s.warehouse],
                lines: [
                  {
                    productId: products[s.product],
                    quantity: s.quantity,
                    ...('price' in s && s.price !== null && { price: (s.price / 100).toFixed(2) }),
                  },
                ],
              };
              let effect: [string, number][];
              let fits: boolean;
              if (s.kind === 'receipt') {
                effect = [[k, s.quantity]];
                fits = true;
              } else if (s.kind === 'write_off') {
                effect = [[k, -s.quantity]];
                fits = get(onHand, k) - get(reserved, k) >= s.quantity;
              } else if (s.kind === 'count') {
                effect = [[k, s.quantity - get(onHand, k)]];
                fits = s.quantity >= get(reserved, k);
              } else {
                const target = 'target' in s ? s.target : s.warehouse;
                if (target === s.warehouse) continue;
                effect = [
                  [k, -s.quantity],
                  [key(s.product, target), s.quantity],
                ];
                fits = get(onHand, k) - get(reserved, k) >= s.quantity;
              }
              const input =
                'target' in s
                  ? { ...base, type: 'transfer', targetWarehouseId: warehouses[s.target] }
                  : {
                      ...base,
                      type: s.kind,
                      ...(s.kind === 'write_off' && { reason: 'other', comment: 'test' }),
                    };
              try {
                const doc = await call<{ id: string }>('erp.postStockDocument', input);
                expect({ step: s, fits }).toEqual({ step: s, fits: true });
                apply(effect, 1);
                posted.push({ id: doc.id, effect: effect.filter(([, d]) => d !== 0) });
              } catch (error) {
                if (!refused(error)) throw error;
                expect({ step: s, fits }).toEqual({ step: s, fits: false });
              }
            }
          } finally {
            const check = await checkStock(t().db);
            expect(check.differences).toEqual([]);
          }
          for (let p = 0; p < 2; p++) {
            for (let w = 0; w < 2; w++) {
              const { items } = await call<{ items: { quantity: string; reserved: string }[] }>(
                'erp.getStock',
                {
                  productId: products[p],
                  warehouseId: warehouses[w],
                },
              );
              const row = items[0] ?? { quantity: '0.000', reserved: '0.000' };
              expect([Number(row.quantity), Number(row.reserved)]).toEqual([
                get(onHand, key(p, w)),
                get(reserved, key(p, w)),
              ]);
            }
          }
        }
      }),
      { numRuns: 12 },
    );
  });
});
