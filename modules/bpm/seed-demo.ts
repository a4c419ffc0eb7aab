// The BPM part of `npm run seed:demo`: the shipped workflows deployed, and processes running in
// them: leave requests of two employees waiting for their managers, and leads from the web form
// waiting for their first call. Won deals of the CRM demo start "Deal to shipment" through the
// outbox when the seeding drains it. Running it again starts nothing twice.
import { join } from 'node:path';
import type { ActionContext } from '../../server/core/module.js';
import { projectRoot } from '../../server/project-root.js';
import { installShippedWorkflows } from './shipped-workflows.js';

const WORKFLOWS = join(projectRoot(), 'workflows');

// Days from today, so that the leaves always lie ahead.
const LEAVES = [
  { email: 'aziz.ergashev@demo.uz', type: 'vacation', from: 27, to: 36, comment: 'Oilaviy taʼtil' },
  {
    email: 'shahnoza.qodirova@demo.uz',
    type: 'trip',
    from: 14,
    to: 16,
    comment: 'Samarqand filialiga xizmat safari',
  },
];

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const LEADS = [
  {
    name: 'Ravshan Qosimov',
    company: 'Buxoro Tekstil MChJ',
    phone: '+998 91 402 17 33',
    region: 'BU',
    message: 'Ulgurji narxlar roʻyxatini yuboring.',
  },
  {
    name: 'Zarina Xolmatova',
    company: null,
    phone: '+998 93 511 08 44',
    region: 'TK',
    message: 'Uyga yetkazib berish bormi?',
  },
  {
    name: 'Oybek Jurayev',
    company: 'Fargʻona Qurilish',
    phone: null,
    email: 'oybek@fargona-qurilish.uz',
    region: 'FA',
    message: 'Sement M400, 20 tonna kerak.',
  },
];

type Page<T> = { items: T[]; total: number };

export async function seedBpmDemo(ctx: ActionContext): Promise<void> {
  await installShippedWorkflows(ctx.call, WORKFLOWS);
  const started = await ctx.call<Page<{ id: string; businessKey: string | null }>>('bpm.listInstances', {
    processId: 'leave-request',
    limit: 500,
  });
  const keys = new Set(started.items.map((i) => i.businessKey));

  for (const leave of LEAVES) {
    const users = await ctx.call<Page<{ id: string; email: string; name: string }>>('admin.listUsers', {
      q: leave.email,
    });
    const user = users.items.find((u) => u.email === leave.email);
    if (!user) continue;
    // What the list of processes shows as its reference: whose leave, from when.
    const key = `${user.name}, ${inDays(leave.from)}`;
    if ([...keys].some((k) => k?.startsWith(`${user.name}, `))) continue;
    const employee = await ctx.call<{ id: string }>('hr.getEmployee', { userId: user.id }).catch(() => null);
    if (!employee) continue;
    await ctx.call('bpm.startInstance', {
      processId: 'leave-request',
      businessKey: key,
      variables: {
        employeeId: employee.id,
        type: leave.type,
        from: inDays(leave.from),
        to: inDays(leave.to),
        comment: leave.comment,
      },
    });
  }

  const submitted = await ctx.call<Page<{ name: string }>>('intake.listSubmissions', { limit: 500 });
  const already = new Set(submitted.items.map((s) => s.name));
  for (const lead of LEADS) {
    if (already.has(lead.name)) continue;
    await ctx.call('intake.submitLeadForm', { ...lead, elapsedMs: 60_000, ip: 'demo-seed' });
  }
}
