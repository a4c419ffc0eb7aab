// Kysely types of the core's own tables (accounts, audit log, events outbox).
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type TimestampNull = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json = ColumnType<unknown, string | null, string | null>;

export type CoreTables = {
  core_users: {
    id: Generated<string>;
    email: string;
    name: string;
    password_hash: string;
    locale: string;
    active: Generated<boolean>;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
    last_login_at: TimestampNull;
  };
  core_roles: { code: string; builtin: boolean; created_at: Generated<Date> };
  core_permissions: { code: string; module: string; created_at: Generated<Date> };
  core_role_permissions: { role_code: string; permission_code: string };
  core_user_roles: { user_id: string; role_code: string };
  core_sessions: {
    token_hash: string;
    user_id: string;
    created_at: Generated<Date>;
    expires_at: Timestamp;
    last_seen_at: Generated<Date>;
    ip: string | null;
    user_agent: string | null;
  };
  core_api_tokens: {
    id: Generated<string>;
    user_id: string;
    name: string;
    token_hash: string;
    created_at: Generated<Date>;
    last_used_at: TimestampNull;
    revoked_at: TimestampNull;
  };
  core_login_attempts: { id: Generated<number>; key: string; at: Generated<Date> };
  core_audit_log: {
    id: Generated<number>;
    at: Generated<Date>;
    actor_id: string | null;
    actor_name: string;
    action: string;
    entity: string;
    entity_id: string;
    before: Json;
    after: Json;
    request_id: string | null;
  };
  core_idempotency_keys: {
    actor_key: string;
    key: string;
    fingerprint: string;
    response: Json;
    created_at: Generated<Date>;
  };
  core_events: {
    id: Generated<number>;
    type: string;
    aggregate_type: string;
    aggregate_id: string;
    payload: JSONColumnType<Record<string, unknown>>;
    actor_id: string | null;
    created_at: Generated<Date>;
  };
  core_event_deliveries: {
    event_id: number;
    subscriber: string;
    aggregate_key: string;
    status: Generated<'pending' | 'done' | 'failed'>;
    attempts: Generated<number>;
    next_attempt_at: Generated<Date>;
    last_error: string | null;
    delivered_at: TimestampNull;
  };
};
