// Demo stock: warehouses in Tashkent and Samarkand, goods a distributor of building and
// household materials keeps, and six weeks of receipts, transfers, write-offs, a count and a
// reversal (the shipments come from the demo's won deals, through their process).
import type { ActionContext } from '../../../server/core/module.js';
import type { ErpTables } from '../schema.js';

const WAREHOUSES = [
  {
    code: 'TSH-1',
    name: 'Toshkent markaziy ombori',
    address: 'Toshkent sh., Yunusobod tumani, Amir Temur koʻchasi 108',
  },
  {
    code: 'TSH-2',
    name: 'Sergeli ombori',
    address: 'Toshkent sh., Sergeli tumani, Yangi Sergeli koʻchasi 11',
  },
  { code: 'SAM-1', name: 'Samarqand filiali ombori', address: 'Samarqand sh., Registon koʻchasi 45' },
];

const PRODUCTS = [
  {
    sku: 'SEM-M400',
    name: 'Sement M400, 50 kg qop',
    unit: 'pcs',
    barcode: '4780001000017',
    reorderLevel: 200,
  },
  {
    sku: 'GIPS-25',
    name: 'Gips shtukaturka, 25 kg',
    unit: 'pcs',
    barcode: '4780001000024',
    reorderLevel: 100,
  },
  {
    sku: 'KRS-BOYOQ',
    name: 'Boʻyoq oq, akril, 10 l',
    unit: 'pcs',
    barcode: '4780001000031',
    reorderLevel: 40,
  },
  { sku: 'ARM-12', name: 'Armatura Ø12 mm', unit: 'm', barcode: '4780001000048', reorderLevel: 1000 },
  { sku: 'QUM-YUV', name: 'Yuvilgan qum', unit: 'kg', barcode: null, reorderLevel: 5000 },
  { sku: 'GISHT-Q', name: 'Gʻisht qizil, M100', unit: 'pcs', barcode: '4780001000055', reorderLevel: 5000 },
  {
    sku: 'PLITKA-30',
    name: 'Kafel plitka 30×30, Samarqand naqshi',
    unit: 'pcs',
    barcode: '4780001000062',
    reorderLevel: 300,
  },
  { sku: 'OLIF-1', name: 'Olifa, 1 l', unit: 'l', barcode: '4780001000079', reorderLevel: 50 },
  { sku: 'QUVUR-20', name: 'Polipropilen quvur Ø20', unit: 'm', barcode: '4780001000086', reorderLevel: 400 },
  { sku: 'ELEKTR-3', name: 'Kabel VVG 3×2,5', unit: 'm', barcode: '4780001000093', reorderLevel: 500 },
] as const;

type Listed = { items: { id: string; code?: string; sku?: string }[] };

export async function seedInventory(ctx: ActionContext<ErpTables>): Promise<void> {
  const existing = await ctx.call<Listed>('erp.listWarehouses', { limit: 500 });
  if (existing.items.some((w) => w.code === 'TSH-1')) return;
  // Each branch's keeper answers for its stock; Sergeli is open to every clerk.
  const keeperOf = async (email: string) =>
    ctx.hasAction('admin.listUsers')
      ? (
          await ctx.call<{ items: { id: string; email: string }[] }>('admin.listUsers', {
            q: email,
            limit: 1,
          })
        ).items
          .filter((u) => u.email === email)
          .map((u) => u.id)
      : [];
  const keepers: Record<string, string[]> = {
    'TSH-1': await keeperOf('bekzod.tursunov@demo.uz'),
    'SAM-1': await keeperOf('sherzod.nazarov@demo.uz'),
  };
  const warehouses: Record<string, string> = {};
  for (const w of WAREHOUSES) {
    const keeperIds = keepers[w.code] ?? [];
    warehouses[w.code] = (await ctx.call<{ id: string }>('erp.createWarehouse', { ...w, keeperIds })).id;
  }
  const products: Record<string, string> = {};
  for (const p of PRODUCTS) {
    products[p.sku] = (await ctx.call<{ id: string }>('erp.createProduct', p)).id;
  }
  const line = (sku: string, quantity: number | string, price?: number) => ({
    productId: products[sku]!,
    quantity,
    price,
  });
  // Six weeks of work, oldest first, dated back from today so the history never ages.
  const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
  const posted: { id: string; days: number }[] = [];
  const post = async (days: number, doc: Record<string, unknown>) => {
    const done = await ctx.call<{ id: string }>('erp.postStockDocument', { ...doc, date: daysAgo(days) });
    posted.push({ id: done.id, days });
    return done;
  };
  await post(42, {
    type: 'receipt',
    warehouseId: warehouses['TSH-1'],
    comment: 'Ohangaron sement zavodidan',
    lines: [line('SEM-M400', 800, 52000), line('GIPS-25', 300, 38000), line('GISHT-Q', 20000, 900)],
  });
  await post(41, {
    type: 'receipt',
    warehouseId: warehouses['TSH-1'],
    comment: 'Bekobod metallurgiya kombinati',
    lines: [line('ARM-12', 6000, 14500), line('ELEKTR-3', 2500, 9800), line('QUVUR-20', 1800, 7200)],
  });
  await post(40, {
    type: 'receipt',
    warehouseId: warehouses['SAM-1'],
    comment: 'Samarqand keramika zavodi',
    lines: [
      line('PLITKA-30', 1200, 27000),
      line('KRS-BOYOQ', 90, 185000),
      line('OLIF-1', 120.5, 21000),
      line('QUM-YUV', '18000.250', 120),
    ],
  });
  await post(35, {
    type: 'transfer',
    warehouseId: warehouses['TSH-1'],
    targetWarehouseId: warehouses['TSH-2'],
    comment: 'Sergeli savdo nuqtasi uchun',
    lines: [line('SEM-M400', 150), line('GISHT-Q', 4000)],
  });
  await post(33, {
    type: 'write_off',
    warehouseId: warehouses['TSH-1'],
    reason: 'damaged',
    comment: 'Yomgʻirda hoʻl boʻlgan qoplar',
    lines: [line('SEM-M400', 12)],
  });
  await post(28, {
    type: 'transfer',
    warehouseId: warehouses['TSH-1'],
    targetWarehouseId: warehouses['SAM-1'],
    comment: 'Samarqand filialining buyurtmasi',
    lines: [line('ARM-12', 800), line('ELEKTR-3', 300)],
  });
  // Entered with the wrong quantity and reversed the same day, then entered again.
  const mistaken = await post(24, {
    type: 'receipt',
    warehouseId: warehouses['TSH-2'],
    comment: 'Navoiy gips zavodi',
    lines: [line('GIPS-25', 1200, 37500)],
  });
  const reversal = await ctx.call<{ id: string }>('erp.reverseStockDocument', { id: mistaken.id });
  posted.push({ id: reversal.id, days: 24 });
  await post(24, {
    type: 'receipt',
    warehouseId: warehouses['TSH-2'],
    comment: 'Navoiy gips zavodi (tuzatilgan)',
    lines: [line('GIPS-25', 120, 37500)],
  });
  await post(21, {
    type: 'write_off',
    warehouseId: warehouses['SAM-1'],
    reason: 'expired',
    lines: [line('OLIF-1', 6)],
  });
  await post(17, {
    type: 'receipt',
    warehouseId: warehouses['TSH-1'],
    comment: 'Ohangaron sement zavodidan, ikkinchi partiya',
    lines: [line('SEM-M400', 400, 53500), line('QUVUR-20', 600, 7400)],
  });
  await post(14, {
    type: 'count',
    warehouseId: warehouses['SAM-1'],
    comment: 'Oylik inventarizatsiya',
    lines: [line('PLITKA-30', 1188)],
  });
  await post(10, {
    type: 'write_off',
    warehouseId: warehouses['TSH-1'],
    reason: 'lost',
    comment: 'Inventarizatsiyada topilmadi',
    lines: [line('ARM-12', 24)],
  });
  await post(6, {
    type: 'transfer',
    warehouseId: warehouses['TSH-2'],
    targetWarehouseId: warehouses['SAM-1'],
    lines: [line('GISHT-Q', 1500)],
  });
  // Below its reorder level on purpose, so the list of what to reorder is not empty.
  await post(3, {
    type: 'write_off',
    warehouseId: warehouses['SAM-1'],
    reason: 'internal_use',
    comment: 'Filial taʼmiri uchun',
    lines: [line('KRS-BOYOQ', 60)],
  });
  await backdate(ctx, posted);
  await ctx.call('erp.createStockDocument', {
    type: 'receipt',
    warehouseId: warehouses['TSH-2'],
    date: daysAgo(0),
    comment: 'Kutilayotgan yuk: Navoiy',
    lines: [line('GIPS-25', 200, 37500)],
  });
}

/**
 * The history happened on its documents' dates: each posting (and its ledger entries) moved to
 * its day in working hours, in the order it was posted, so the ledger reads as six weeks of
 * work and not as one moment of seeding. Only demo data is ever moved back.
 */
async function backdate(
  ctx: ActionContext<ErpTables>,
  posted: { id: string; days: number }[],
): Promise<void> {
  const perDay = new Map<number, number>();
  for (const { id, days } of posted) {
    const nth = perDay.get(days) ?? 0;
    perDay.set(days, nth + 1);
    const day = new Date(Date.now() - days * 86_400_000);
    // 09:30 in Tashkent (UTC+5), the next posting of the day 47 minutes later.
    const at = new Date(
      Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 4, 30 + nth * 47),
    );
    // A reversal is dated the day it is posted: the day of the receipt it undid.
    await ctx.db
      .updateTable('erp_stock_documents')
      .set({ posted_at: at, created_at: at, date: at.toISOString().slice(0, 10) })
      .where('id', '=', id)
      .execute();
    await ctx.db
      .updateTable('erp_stock_ledger')
      .set({ posted_at: at })
      .where('document_id', '=', id)
      .execute();
  }
}
