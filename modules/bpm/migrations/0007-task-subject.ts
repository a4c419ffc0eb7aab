import type { Kysely } from 'kysely';

/** What a task is about ("Choraklik buyurtma · Urganch Qurilish"), from its model's `subject` property. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('bpm_user_tasks').addColumn('subject', 'text').execute();
}
