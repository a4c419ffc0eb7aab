// The demo staff at work in the running processes, so that a newcomer meets history as well as
// waiting tasks: the sales managers confirm the shipments of their won deals but the newest (the
// process posts them in ERP and notes them on the client's timeline) and read the notices, but
// one; a manager approves a business trip, which then waits for HR to register it.
import type { ActionContext, DemoStaff } from '../../server/core/module.js';

const SALES_MANAGERS = ['malika.yusupova@demo.uz', 'jasur.rahimov@demo.uz', 'nodira.alimova@demo.uz'];
const MANAGERS = ['dilshod.karimov@demo.uz', 'gulnora.saidova@demo.uz', ...SALES_MANAGERS];

type Page<T> = { items: T[]; total: number };
type Task = { id: string; elementId: string; createdAt: string };
type TaskView = { variables: Record<string, unknown> };
type Option = { label: string; value: string };
type StockRow = { product: string; warehouse: string; available: string };
type Line = { product: string; quantity: string };

async function openTasks(ctx: ActionContext, elementId: string): Promise<Task[]> {
  const inbox = await ctx.call<Page<Task>>('bpm.listTasks', { limit: 500 });
  return inbox.items
    .filter((t) => t.elementId === elementId)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** The warehouse that has every line of the deal in stock, if one does. */
function warehouseFor(variables: Record<string, unknown>): string | undefined {
  const options = (variables.warehouseOptions ?? []) as Option[];
  const stock = (variables.stock ?? []) as StockRow[];
  const lines = (variables.lines ?? []) as Line[];
  return options.find((w) =>
    lines.every((line) =>
      stock.some(
        (s) =>
          s.warehouse === w.label &&
          s.product === line.product &&
          Number(s.available) >= Number(line.quantity),
      ),
    ),
  )?.value;
}

export async function workBpmDemo(staff: DemoStaff): Promise<void> {
  // Shipments posted once: a second run finds them and leaves the newer deals waiting.
  const shipped = await staff.as(SALES_MANAGERS[0]!, async (ctx) =>
    ctx.hasAction('erp.listStockDocuments')
      ? (await ctx.call<Page<unknown>>('erp.listStockDocuments', { type: 'shipment', limit: 1 })).total
      : 1,
  );
  for (const email of shipped === 0 ? SALES_MANAGERS : []) {
    const confirms = (await staff.as(email, (ctx) => openTasks(ctx, 'confirmShipment'))) ?? [];
    for (const task of confirms.slice(0, -1)) {
      await staff.as(email, async (ctx) => {
        const view = await ctx.call<TaskView>('bpm.getTask', { id: task.id });
        const warehouseId = warehouseFor(view.variables);
        if (!warehouseId) return;
        await ctx.call('bpm.completeTask', {
          id: task.id,
          variables: { warehouseId, decision: 'ship', comment: 'Mijoz bilan kelishildi, ertaga yuklanadi' },
        });
      });
    }
    // One notice stays unread, in the first manager's inbox.
    const notices = (await staff.as(email, (ctx) => openTasks(ctx, 'shipmentPosted'))) ?? [];
    for (const task of notices.slice(0, email === SALES_MANAGERS[0] ? -1 : undefined)) {
      await staff.as(email, (ctx) => ctx.call('bpm.completeTask', { id: task.id, variables: {} }));
    }
  }
  for (const email of MANAGERS) {
    const approvals = (await staff.as(email, (ctx) => openTasks(ctx, 'approve'))) ?? [];
    for (const task of approvals) {
      await staff.as(email, async (ctx) => {
        const view = await ctx.call<TaskView>('bpm.getTask', { id: task.id });
        if (view.variables.type !== 'trip') return;
        await ctx.call('bpm.completeTask', {
          id: task.id,
          variables: { decision: 'approve', decisionNote: 'Kelishildi, safar xarajatlari buxgalteriyada' },
        });
      });
    }
  }
}
