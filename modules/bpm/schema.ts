// Kysely types of the BPM module's tables (see README.md for the model).
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Json = JSONColumnType<Record<string, unknown>, string, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type TimestampNull = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export const INSTANCE_STATES = ['active', 'completed', 'cancelled', 'failed'] as const;
export type InstanceState = (typeof INSTANCE_STATES)[number];
export type ElementState = 'active' | 'waiting' | 'completed' | 'terminated';

export type BpmTables = {
  bpm_definitions: {
    id: Generated<string>;
    process_id: string;
    version: number;
    name: string | null;
    xml: string;
    hash: string;
    deployed_at: Generated<Date>;
    deployed_by: string | null;
  };
  bpm_forms: {
    id: Generated<string>;
    form_id: string;
    version: number;
    schema: Json;
    hash: string;
    deployed_at: Generated<Date>;
    deployed_by: string | null;
  };
  bpm_instances: {
    id: Generated<string>;
    definition_id: string;
    process_id: string;
    version: number;
    business_key: string | null;
    state: InstanceState;
    variables: Json;
    started_by: string | null;
    /** The correlation key of the message that started it (one active instance per key). */
    start_message_key: ColumnType<string | null, string | null | undefined, string | null>;
    /** The module event that started it (unique per process: redelivery starts nothing). */
    start_event_id: ColumnType<number | null, number | null | undefined, number | null>;
    /** A called process: the instance and the call activity's element instance waiting for it. */
    parent_instance_id: ColumnType<string | null, string | null | undefined, string | null>;
    parent_element_instance_id: ColumnType<string | null, string | null | undefined, string | null>;
    started_at: Generated<Date>;
    ended_at: TimestampNull;
    updated_at: Generated<Date>;
  };
  bpm_element_instances: {
    id: string;
    instance_id: string;
    scope_id: string | null;
    element_id: string;
    element_type: string;
    state: ElementState;
    flow_id: string | null;
    variables: Json;
    seq: Generated<number>;
    started_at: Generated<Date>;
    ended_at: TimestampNull;
    actor_id: string | null;
  };
  bpm_user_tasks: {
    id: Generated<string>;
    instance_id: string;
    element_instance_id: string;
    element_id: string;
    name: string | null;
    assignee: string | null;
    candidate_groups: JSONColumnType<string[], string, string>;
    candidate_users: JSONColumnType<string[], string, string>;
    form_id: string | null;
    /** The form's latest version when the task was created: the task keeps it. */
    form_version: number | null;
    /** E-mails of the users its HR department groups stood for when it was created. */
    candidate_group_users: ColumnType<string[], string | undefined, string>;
    due_at: TimestampNull;
    /** What the task is about, from the model's subject expression when it was created. */
    subject: ColumnType<string | null, string | null | undefined, string | null>;
    state: 'open' | 'completed' | 'cancelled';
    created_at: Generated<Date>;
    completed_at: TimestampNull;
    completed_by: string | null;
  };
  bpm_jobs: {
    id: Generated<number>;
    /** Null for a timer start (it belongs to its definition). */
    instance_id: string | null;
    element_instance_id: string | null;
    definition_id: ColumnType<string | null, string | null | undefined, string | null>;
    /**
     * `timer`: a catch or boundary timer (element_id names it); `retry`: a failed service task;
     * `start`: a timer start event of a definition.
     */
    kind: 'timer' | 'retry' | 'start';
    element_id: string;
    /** How many more times a cycle fires after this occurrence; -1 forever. */
    repeats_left: ColumnType<number, number | undefined, number>;
    due_at: Timestamp;
    locked_until: TimestampNull;
    attempts: number;
    last_error: string | null;
    created_at: Generated<Date>;
  };
  bpm_incidents: {
    id: Generated<string>;
    instance_id: string;
    element_instance_id: string;
    element_id: string;
    code: string;
    message: string;
    state: 'open' | 'resolved';
    created_at: Generated<Date>;
    resolved_at: TimestampNull;
    resolved_by: string | null;
  };
  /** Message and signal start events of every deployed definition, looked up by name. */
  bpm_start_events: {
    id: Generated<number>;
    definition_id: string;
    process_id: string;
    element_id: string;
    kind: 'message' | 'signal';
    name: string;
  };
  bpm_message_subscriptions: {
    id: Generated<number>;
    instance_id: string;
    element_instance_id: string;
    kind: ColumnType<'message' | 'signal', 'message' | 'signal' | undefined, 'message' | 'signal'>;
    /** The catching element: the catch itself, a boundary, or an event-based gateway's target. */
    element_id: string;
    message_name: string;
    correlation_key: string;
    created_at: Generated<Date>;
  };
};
