// Round robin: of the people who can take a lead, the one who waited longest since their last
// pick (never picked first) gets it. Pools are named by the caller, e.g. a region's sales team.
import { sql } from 'kysely';
import { z } from 'zod';
import { ruleViolation } from '../../server/core/errors.js';
import { actionsOf } from '../../server/core/module.js';
import type { IntakeTables } from './schema.js';

const defineAction = actionsOf<IntakeTables>();

const candidate = z.object({ userId: z.uuid(), email: z.string(), name: z.string().optional() });

export const pickInTurn = defineAction({
  name: 'pickInTurn',
  description:
    'Picks, in turn, one of the given people for a pool (who waited longest since their last pick), e.g. the sales manager for a lead.',
  permission: 'intake.turns.pick',
  write: true,
  input: z.object({ pool: z.string().trim().min(1).max(200), candidates: z.array(candidate).max(500) }),
  output: candidate.extend({ picks: z.number().int() }),
  async run(ctx, input) {
    if (input.candidates.length === 0)
      throw ruleViolation('INTAKE_NO_CANDIDATES', { pool: input.pool }, { pool: input.pool });
    // Picks of one pool take turns: two leads at once never go to the same person by a race.
    await sql`select pg_advisory_xact_lock(hashtext(${`intake-turns:${input.pool}`}))`.execute(ctx.db);
    const ids = input.candidates.map((c) => c.userId);
    const seen = await ctx.db
      .selectFrom('intake_turns')
      .select(['user_id', 'last_picked_at', 'picks'])
      .where('pool', '=', input.pool)
      .where('user_id', 'in', ids)
      .execute();
    const last = new Map(seen.map((s) => [s.user_id, new Date(s.last_picked_at).getTime()]));
    // never picked first; then the longest wait; the given order breaks ties
    const chosen = input.candidates.reduce((best, c) =>
      (last.get(c.userId) ?? -1) < (last.get(best.userId) ?? -1) ? c : best,
    );
    const row = await ctx.db
      .insertInto('intake_turns')
      .values({
        pool: input.pool,
        user_id: chosen.userId,
        picks: 1,
        last_picked_at: sql<Date>`clock_timestamp()`,
      })
      .onConflict((oc) =>
        oc.columns(['pool', 'user_id']).doUpdateSet({
          picks: sql<number>`intake_turns.picks + 1`,
          last_picked_at: sql<Date>`clock_timestamp()`,
        }),
      )
      .returning('picks')
      .executeTakeFirstOrThrow();
    ctx.noAudit('a turn counter; the assignment it leads to is audited where it is made');
    return { ...chosen, picks: row.picks };
  },
});
