// The module contract: what a business module hands the core. The core loads these
// definitions and knows nothing else about CRM, ERP or BPM.
import type { FastifyInstance } from 'fastify';
import type { Migration, RawBuilder, Transaction } from 'kysely';
import type { LogFn } from 'pino';
import type { z } from 'zod';
import type { AppError } from './errors.js';
import type { Locale } from './locale.js';
import type { MessageCatalogue } from './messages.js';
import type { Registry } from './registry.js';

/** The logging the core hands to actions: pino's, or Fastify's request logger. */
export type Log = { info: LogFn; warn: LogFn; error: LogFn; debug: LogFn };

/** Who is acting: a signed-in user (or their API token), or the system itself (jobs, processes). */
export type Actor =
  | {
      kind: 'user';
      id: string;
      email: string;
      name: string;
      locale: Locale;
      roles: readonly string[];
      permissions: ReadonlySet<string>;
    }
  | { kind: 'system'; id: null; name: string }
  | { kind: 'anonymous'; id: null; name: string };

export const SYSTEM_ACTOR: Actor = { kind: 'system', id: null, name: 'system' };
export const ANONYMOUS_ACTOR: Actor = { kind: 'anonymous', id: null, name: 'anonymous' };

/** Whether the actor holds a permission; admins and the system hold every one. */
export function can(actor: Actor, permission: PermissionRequirement): boolean {
  if (permission === 'public') return true;
  if (actor.kind === 'system') return true;
  if (actor.kind === 'anonymous') return false;
  if (permission === 'authenticated') return true;
  return actor.roles.includes('admin') || actor.permissions.has(permission);
}

/** `authenticated`: any signed-in user; `public`: no sign-in (sign-in itself, health). */
export type PermissionRequirement = string | 'authenticated' | 'public';

export type EmittedEvent = {
  /** Sentence-like name, module first: `crm.deal.stageChanged`. */
  type: string;
  /** Events of one aggregate reach each subscriber in the order they were emitted. */
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
};

export type AuditEntry = {
  entity: string;
  entityId: string;
  /** Defaults to the running action's name. */
  action?: string;
  before: unknown;
  after: unknown;
  /** Who to record when the actor is not yet known (a sign-in records the user signing in). */
  actor?: { id: string; name: string };
};

// biome-ignore lint/suspicious/noExplicitAny: the default is the untyped handle; modules pass their tables
export type ActionContext<DB = any> = {
  /** The transaction everything of this call runs in; never use another handle inside it. */
  db: Transaction<DB>;
  actor: Actor;
  locale: Locale;
  requestId: string | null;
  log: Log;
  /** Writes an event to the outbox in this transaction; it is delivered after commit. */
  emit(event: EmittedEvent): Promise<void>;
  /** Records who changed what, before and after, in this transaction. */
  audit(entry: AuditEntry): Promise<void>;
  /** Says why this write action records no audit entry this time (it changed nothing). */
  noAudit(reason: string): void;
  /** Whether the actor holds a permission (admins and the system hold all). */
  can(permission: PermissionRequirement): boolean;
  /** Whether an action is registered (another module's may not be installed). */
  hasAction(name: string): boolean;
  /** Calls another module's action by name in this same transaction, with the same actor. */
  call<T = unknown>(name: string, input: unknown): Promise<T>;
  /**
   * Calls an action as the system actor in this same transaction, for work the caller does on
   * behalf of something other than its user (a BPM service task: `bpm instance <id>`); audit
   * entries name the system and `onBehalfOf`.
   */
  callAsSystem<T = unknown>(name: string, input: unknown, onBehalfOf: string): Promise<T>;
  /** Every registered action, read-only (catalogues of what can be called). */
  actions(): readonly ActionInfo[];
  /** Runs after the transaction commits (never if it rolls back). */
  afterCommit(fn: () => void | Promise<void>): void;
  /**
   * Writes an audit entry, events and, for a call with an idempotency key, its answer, in one
   * statement: what `audit`, `emit` and the registry would write one round trip each. With an
   * answer stored early the action's last statement (one that holds hot row locks, say) is
   * followed only by the commit; the action must then return exactly that answer, and if it
   * fails nothing is stored. The answer is ignored without a key, or in a nested call.
   */
  record(writes: { audit?: AuditEntry; events?: EmittedEvent[]; answer?: unknown }): Promise<void>;
  translate(code: string, params?: Record<string, string | number>): string;
};

export type ActionDefinition<
  I extends z.ZodType = z.ZodType,
  O extends z.ZodType = z.ZodType,
  DB = unknown,
> = {
  /** Local name; the registry knows it as `<module>.<name>`. */
  name: string;
  description: string;
  input: I;
  output: O;
  permission: PermissionRequirement;
  /** Writes are audited; a write that records no audit entry is logged as a defect. */
  write: boolean;
  run(ctx: ActionContext<DB>, input: z.output<I>): Promise<z.input<O>>;
  /**
   * Group commit, for hot writes: concurrent top-level calls whose input `accepts` are run
   * together, in one transaction and a few statements for all of them, instead of one
   * transaction each. `run` stays the way a single or nested call goes. The core claims the
   * calls' idempotency keys, then writes the audit entries, events and answers the outcomes
   * carry, and the calls' answers go out after the one commit. A refusal is one call's; if the
   * group's transaction fails, each call is run again alone. `home` is one object per database
   * (the same for every group of a server), for what a module keeps in memory about it.
   *
   * `plan`, if given, is tried first: the group judged on what the module believes the
   * database holds, written by one statement with its records (see GroupStatement). When it
   * answers nothing, or its statement finds the beliefs wrong, the group goes through `run`.
   */
  group?: {
    accepts(input: z.output<I>): boolean;
    run(calls: GroupedCall<z.output<I>, DB>[], home: object): Promise<GroupedOutcome<z.input<O>>[]>;
    plan?(calls: PlannedCall<z.output<I>>[], home: object): GroupStatement<z.input<O>> | undefined;
  };
};

/** One call of a group: its input, and its own context (actor, locale, request) in the group's transaction. */
export type GroupedCall<I, DB = unknown> = { input: I; ctx: ActionContext<DB> };

/** What one call of a group came to, in the order of the calls. */
export type GroupedOutcome<O> =
  | { ok: true; output: O; audit?: AuditEntry; events?: EmittedEvent[] }
  | { ok: false; error: AppError };

/** A call of a group being planned: no transaction yet, so no database and no calls. */
export type PlannedCall<I> = {
  input: I;
  ctx: Pick<ActionContext, 'actor' | 'locale' | 'requestId' | 'log' | 'can' | 'translate'>;
};

/**
 * A group written by one statement, planned on beliefs (a balance's quantity, a row's version):
 * no transaction and no round trip before it. The statement writes first what needs no lock
 * (the core's records: audit entries, events, keys with their answers; then the module's
 * rows that need none), then takes its locks and checks its beliefs (`holds`), then writes the
 * rest; if they do not hold, it fails and nothing is kept. Rows are locked only for its end and
 * its commit.
 */
export type GroupStatement<O> = {
  /** Every call's outcome, as it will be if the beliefs hold (a plan never refuses a call). */
  outcomes: { output: O; audit: AuditEntry; events?: EmittedEvent[] }[];
  /**
   * The statement's CTEs, comma-separated. `holds (ok boolean)`, one row, is evaluated after
   * the core's records are written: it runs the module's writes that need no lock (by reading
   * them), then takes the locks and says whether the beliefs hold; the writes that need the
   * locks read the CTE that took them, so they run after. With `numbered`, also `numbered (call
   * int, number text)`: each call's (1-based) number drawn by the statement, set as `number`
   * into its answer, audit entry `after` and event payloads.
   */
  with: RawBuilder<unknown>;
  numbered: boolean;
  /** Told once the statement has run: whether it held (otherwise nothing of it was kept). */
  settled(held: boolean): void;
};

/** What the registry tells about an action: its full name, module, permission and schemas. */
export type ActionInfo = {
  fullName: string;
  module: string;
  description: string;
  permission: PermissionRequirement;
  write: boolean;
  input: z.ZodType;
  output: z.ZodType;
};

// biome-ignore lint/suspicious/noExplicitAny: a registry holds actions of every input/output type
export type AnyAction = ActionDefinition<z.ZodType, z.ZodType, any>;

/**
 * Returns the action declarer of a module, `DB` typing `ctx.db` with the module's own tables.
 * @example const defineAction = actionsOf<CrmTables>();
 *          export const getClient = defineAction({ name: 'getClient', input, output, ... });
 */
export function actionsOf<DB>() {
  return <I extends z.ZodType, O extends z.ZodType>(definition: ActionDefinition<I, O, DB>) => definition;
}

/** Declares a subscriber whose `ctx.db` is typed with the module's own tables. */
export function subscriberOf<DB>(definition: SubscriberDefinition<DB>): SubscriberDefinition<DB> {
  return definition;
}

// biome-ignore lint/suspicious/noExplicitAny: the default is the untyped handle; modules pass their tables
export type SubscriberContext<DB = any> = ActionContext<DB> & { eventId: number };

export type StoredEvent = EmittedEvent & { id: number; createdAt: string; actorId: string | null };

// biome-ignore lint/suspicious/noExplicitAny: the default is the untyped handle; modules pass their tables
export type SubscriberDefinition<DB = any> = {
  /** Unique, module first: `bpm.startProcessesOnEvent`. Deliveries are tracked per subscriber. */
  name: string;
  /** Exact event types, or a prefix ending in `*` (`crm.*`; `*` is every event). */
  events: string[];
  /** Types or prefixes left out of what `events` matches (`['*']` but not `['bpm.*']`). */
  except?: string[];
  /** Runs in the delivery's transaction; may run again after a crash, so it must be idempotent. */
  handle(ctx: SubscriberContext<DB>, event: StoredEvent): Promise<void>;
};

export type PermissionDefinition = {
  code: string;
  /** The built-in roles that get it on first install; admins may change grants later. */
  grantTo?: string[];
};

/** What a module's background work gets: the registry (to call actions) and the log. */
export type BackgroundEnv = { registry: Registry; log: Log };

export type ModuleRoutes = (app: FastifyInstance) => Promise<void> | void;

export type ModuleDefinition = {
  /** Also the API prefix: routes are mounted at `/api/<name>`. */
  name: string;
  /** Kysely migrations, applied in name order, tracked in `<name>_migrations`. */
  migrations: Record<string, Migration>;
  /** Modules whose migrations must run first. */
  dependsOn?: string[];
  permissions: PermissionDefinition[];
  actions: AnyAction[];
  routes?: ModuleRoutes;
  /** Event types this module emits (documentation and a check on `ctx.emit`). */
  events?: string[];
  subscribers?: SubscriberDefinition[];
  messages?: MessageCatalogue;
  /**
   * Work the module runs beside requests in every server process (e.g. the BPM job poller),
   * started with the server and stopped before the database closes. Returns its stop function.
   */
  background?(env: BackgroundEnv): () => Promise<void> | void;
  /** Fills the module with believable demo data (`npm run seed:demo`). */
  seedDemo?(ctx: ActionContext): Promise<void>;
  /**
   * The demo staff's own work, once every module's demo data is in and its events delivered
   * (a won deal's process waiting for its owner): each piece runs as the user who does it.
   */
  seedDemoWork?(staff: DemoStaff): Promise<void>;
};

/** Runs work as a demo user, in a transaction of its own; nothing when the user is missing. */
export type DemoStaff = {
  as<T>(email: string, work: (ctx: ActionContext) => Promise<T>): Promise<T | undefined>;
};

export function defineModule(definition: ModuleDefinition): ModuleDefinition {
  return definition;
}
