import type { Kysely } from 'kysely';

/** A called process's instance records the call activity that waits for it. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('bpm_instances')
    .addColumn('parent_instance_id', 'uuid', (c) => c.references('bpm_instances.id'))
    .addColumn('parent_element_instance_id', 'uuid')
    .execute();
  await db.schema
    .createIndex('bpm_instances_parent_element')
    .on('bpm_instances')
    .column('parent_element_instance_id')
    .execute();
}
