// Delivers a message to the oldest catch waiting for its name and correlation key (a message
// catch, receive task, message boundary or an event-based gateway's target): the POST /messages
// action and module events share it.
import { type Ctx, Step } from './engine.js';
import type { Vars } from './feel.js';
import type { InstanceState } from './schema.js';

/** The instance whose catch took the message, or null when nobody waits for it. */
export async function correlateWaiting(
  ctx: Ctx,
  message: { name: string; correlationKey: string; variables: Vars },
): Promise<{ id: string; state: InstanceState } | null> {
  for (let round = 0; round < 5; round++) {
    const sub = await ctx.db
      .selectFrom('bpm_message_subscriptions')
      .select(['id', 'instance_id'])
      .where('kind', '=', 'message')
      .where('message_name', '=', message.name)
      .where('correlation_key', '=', message.correlationKey)
      .orderBy('id')
      .executeTakeFirst();
    if (!sub) return null;
    const step = await Step.open(ctx, sub.instance_id);
    // Under the instance lock: another step may have taken the message meanwhile.
    const still = await ctx.db
      .selectFrom('bpm_message_subscriptions')
      .select(['element_instance_id', 'element_id'])
      .where('id', '=', sub.id)
      .executeTakeFirst();
    if (!still) continue;
    // A subscription takes one message (a non-interrupting boundary catches the first only).
    await ctx.db.deleteFrom('bpm_message_subscriptions').where('id', '=', sub.id).execute();
    await step.fireEvent(still.element_instance_id, still.element_id, message.variables);
    return { id: sub.instance_id, state: await step.finish() };
  }
  return null;
}
