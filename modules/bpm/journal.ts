// The element-instance writes of one step, kept in memory and written in one statement when the
// step ends (with the instance's own update): a token entered and left within the step is inserted once, already completed,
// instead of an insert, an update and the clean-up of waits it never had.
import { sql } from 'kysely';
import { PREPARED } from '../../db/database.js';
import { jsonbColumn } from '../../db/json-rows.js';
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

/** The instance row's new state, written with the step's element instances. */
export type InstanceUpdate = {
  state: string;
  updatedAt: Date;
  /** JSON of the variables when they changed, else null. */
  variables: string | null;
  /** When the instance ended in this step, else null. */
  endedAt: Date | null;
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
    await sql`${sql.raw(PREPARED)} with jobs as (delete from bpm_jobs where element_instance_id = any(${ids}::uuid[])),
      subscriptions as (delete from bpm_message_subscriptions where element_instance_id = any(${ids}::uuid[]))
      update bpm_user_tasks set state = 'cancelled'
      where element_instance_id = any(${ids}::uuid[]) and state = 'open'`.execute(ctx.db);
  }

  /**
   * Writes every element instance changed since the last call (new rows with their current
   * state, changed rows' state, variables, end and actor) and, when given, the instance's own
   * row, in one statement. Rows travel as arrays, so the statement has one text whatever their
   * number: prepared once per connection (PREPARED).
   */
  async write(ctx: Ctx, instanceId: string, instance?: InstanceUpdate): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    if (entries.length === 0 && !instance) return;
    const column = <T>(pick: (entry: Entry) => T) => entries.map(pick);
    const upsert = sql`insert into bpm_element_instances as e (id, instance_id, scope_id, element_id,
        element_type, state, flow_id, variables, started_at, ended_at, actor_id)
      select u.id, ${instanceId}::uuid, u.scope_id, u.element_id, u.element_type, u.state, u.flow_id,
        u.variables, u.started_at, u.ended_at, u.actor_id
      from unnest(${column((e) => e.token.id)}::uuid[], ${column((e) => e.token.scope_id)}::uuid[],
        ${column((e) => e.token.element_id)}::text[], ${column((e) => e.token.element_type)}::text[],
        ${column((e) => e.token.state)}::text[], ${column((e) => e.token.flow_id)}::text[],
        ${jsonbColumn(column((e) => JSON.stringify(e.token.variables)))},
        ${column((e) => e.startedAt ?? new Date())}::timestamptz[],
        ${column((e) => e.endedAt)}::timestamptz[], ${column((e) => e.actorId)}::uuid[])
        with ordinality as u(id, scope_id, element_id, element_type, state, flow_id, variables,
          started_at, ended_at, actor_id, n)
      order by u.n
      -- an existing row keeps its start (the insert's value is not used on conflict)
      on conflict (id) do update set state = excluded.state, variables = excluded.variables,
        ended_at = coalesce(excluded.ended_at, e.ended_at), actor_id = coalesce(excluded.actor_id, e.actor_id)`;
    if (!instance) {
      await sql`${sql.raw(PREPARED)} ${upsert}`.execute(ctx.db);
      return;
    }
    const update = sql`update bpm_instances set state = ${instance.state}, updated_at = ${instance.updatedAt},
        variables = coalesce(${instance.variables}::jsonb, variables),
        ended_at = coalesce(${instance.endedAt}::timestamptz, ended_at)
      where id = ${instanceId}::uuid`;
    if (entries.length === 0) await sql`${sql.raw(PREPARED)} ${update}`.execute(ctx.db);
    else await sql`${sql.raw(PREPARED)} with journal as (${upsert}) ${update}`.execute(ctx.db);
  }

  /** Writes every change since the last flush: the waits of ended tokens, then the upsert. */
  async flush(ctx: Ctx, instanceId: string): Promise<void> {
    await this.clearWaits(ctx);
    await this.write(ctx, instanceId);
  }
}
