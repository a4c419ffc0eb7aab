// The element-instance writes of one step, kept in memory and written in one statement when the
// step ends (with the instance's own update): a token entered and left within the step is inserted once, already completed,
// instead of an insert, an update and the clean-up of waits it never had.
import { sql } from 'kysely';
import type { Ctx } from './engine.js';
import type { Vars } from './feel.js';
import type { ElementState } from './schema.js';

/** The fields of a token the journal writes (the engine's Token). */
export type JournalToken = {
  id: string;
  scope_id: string | null;
  element_id: string;
  element_type: string;
  state: ElementState;
  flow_id: string | null;
  variables: Vars;
};

type Entry = { token: JournalToken; startedAt: Date | null; endedAt: Date | null; actorId: string | null };

export class Journal {
  private readonly entries = new Map<string, Entry>();
  /** Tokens that may hold a job, a subscription or an open user task (they waited once). */
  private readonly mayWait = new Set<string>();
  /** Ended tokens whose waits go at the next flush. */
  private readonly clear = new Set<string>();

  /** A token read from the database: it may be waiting on something. */
  loaded(token: JournalToken): void {
    this.mayWait.add(token.id);
  }

  /** A new token, inserted at the next flush with the time it was entered. */
  created(token: JournalToken, actorId: string | null): void {
    this.entries.set(token.id, { token, startedAt: new Date(), endedAt: null, actorId });
  }

  /** A token's state or variables changed; `actorId` is recorded when it ended. */
  changed(token: JournalToken, actorId: string | null): void {
    const entry = this.entries.get(token.id) ?? { token, startedAt: null, endedAt: null, actorId: null };
    if (token.state === 'waiting') this.mayWait.add(token.id);
    if (token.state === 'completed' || token.state === 'terminated') {
      entry.endedAt = new Date();
      entry.actorId = actorId;
      if (this.mayWait.has(token.id)) this.clear.add(token.id);
    }
    this.entries.set(token.id, entry);
  }

  /** Removes the waits of the tokens that ended since the last call, in one statement. */
  async clearWaits(ctx: Ctx): Promise<void> {
    if (this.clear.size === 0) return;
    const ids = [...this.clear];
    this.clear.clear();
    await sql`with jobs as (delete from bpm_jobs where element_instance_id = any(${ids}::uuid[])),
      subscriptions as (delete from bpm_message_subscriptions where element_instance_id = any(${ids}::uuid[]))
      update bpm_user_tasks set state = 'cancelled'
      where element_instance_id = any(${ids}::uuid[]) and state = 'open'`.execute(ctx.db);
  }

  /**
   * The upsert of every element instance changed since the last call (new rows with their
   * current state, changed rows' state, variables, end and actor), or null when none changed;
   * the caller runs it alone or inside its own statement.
   */
  takeUpsert(ctx: Ctx, instanceId: string) {
    const entries = [...this.entries.values()];
    this.entries.clear();
    if (entries.length === 0) return null;
    return ctx.db
      .insertInto('bpm_element_instances')
      .values(
        entries.map(({ token, startedAt, endedAt, actorId }) => ({
          id: token.id,
          instance_id: instanceId,
          scope_id: token.scope_id,
          element_id: token.element_id,
          element_type: token.element_type,
          state: token.state,
          flow_id: token.flow_id,
          variables: JSON.stringify(token.variables),
          // an existing row keeps its start (the insert's value is not used on conflict)
          started_at: startedAt ?? new Date(),
          ended_at: endedAt,
          actor_id: actorId,
        })),
      )
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          state: eb.ref('excluded.state'),
          variables: eb.ref('excluded.variables'),
          ended_at: sql<Date>`coalesce(excluded.ended_at, bpm_element_instances.ended_at)`,
          actor_id: sql<string>`coalesce(excluded.actor_id, bpm_element_instances.actor_id)`,
        })),
      );
  }

  /** Writes every change since the last flush: the waits of ended tokens, then the upsert. */
  async flush(ctx: Ctx, instanceId: string): Promise<void> {
    await this.clearWaits(ctx);
    await this.takeUpsert(ctx, instanceId)?.execute();
  }
}
