// The action registry: every module's actions by their full name (`crm.getClient`), called
// with permission check, validated input and output, inside a transaction given or opened.
import type { Kysely, Transaction } from 'kysely';
import type { AnyTransaction } from '../../db/database.js';
import { AppError, forbidden } from './errors.js';
import { claimIdempotencyKey, fingerprint } from './idempotency.js';
import { DEFAULT_LOCALE, type Locale } from './locale.js';
import type { Translator } from './messages.js';
import {
  type ActionContext,
  type Actor,
  type AnyAction,
  type AuditEntry,
  can,
  type EmittedEvent,
  type Log,
  type ModuleDefinition,
  type SubscriberDefinition,
} from './module.js';
import { subscriberMatches, writeEvent } from './outbox.js';
import { writeRecord } from './record.js';
import type { CoreTables } from './schema.js';
import { inTransaction } from './transaction.js';
import { parseInput } from './validation.js';

export type RegisteredAction = AnyAction & { fullName: string; module: string };

export type CallOptions = {
  actor: Actor;
  locale?: Locale;
  requestId?: string | null;
  /** Run inside this transaction instead of opening one. */
  trx?: AnyTransaction;
  /** A retry with this key and the same input answers the first result and runs nothing. */
  idempotencyKey?: string;
  log?: Log;
};

export type Registry = {
  has(name: string): boolean;
  get(name: string): RegisteredAction;
  list(): RegisteredAction[];
  readonly subscribers: readonly SubscriberDefinition[];
  call<T = unknown>(name: string, input: unknown, options: CallOptions): Promise<T>;
  /** Runs work in a transaction with an action context (subscribers, jobs, scripts). */
  withContext<T>(
    options: CallOptions & { module: string },
    work: (ctx: ActionContext) => Promise<T>,
  ): Promise<T>;
  /** Called after every commit that emitted events. */
  onEventsCommitted(listener: () => void): void;
};

const SECRET_KEY = /password|token|secret/i;

/** Removes secrets from audit snapshots, whatever the action passes. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redact(v)]),
    );
  }
  return value;
}

type Frame = {
  trx: Transaction<CoreTables>;
  /** Audit entries written in this transaction, by any action of the chain. */
  audits: number;
  afterCommit: (() => void | Promise<void>)[];
  emitted: boolean;
  /** How many actions deep the chain is now (1: the action that was called). */
  depth: number;
  /** The call's claimed idempotency key, whose answer the called action may store early. */
  claim?: { actorKey: string; key: string; saved?: string };
};

export function createRegistry(options: {
  db: Kysely<CoreTables>;
  modules: readonly ModuleDefinition[];
  translate: Translator;
  log: Log;
}): Registry {
  const { db, translate } = options;
  const actions = new Map<string, RegisteredAction>();
  const eventsByModule = new Map<string, Set<string>>();
  const subscribers: SubscriberDefinition[] = [];
  const committedListeners: (() => void)[] = [];

  for (const module of options.modules) {
    eventsByModule.set(module.name, new Set(module.events ?? []));
    for (const action of module.actions) {
      const fullName = `${module.name}.${action.name}`;
      if (actions.has(fullName)) throw new Error(`Action ${fullName} is defined twice`);
      actions.set(fullName, { ...action, fullName, module: module.name });
    }
    for (const subscriber of module.subscribers ?? []) {
      if (subscribers.some((s) => s.name === subscriber.name)) {
        throw new Error(`Subscriber ${subscriber.name} is defined twice`);
      }
      subscribers.push(subscriber);
    }
  }

  function get(name: string): RegisteredAction {
    const action = actions.get(name);
    if (!action)
      throw new AppError(404, 'NOT_FOUND', { details: { action: name }, params: { entity: name } });
    return action;
  }

  function makeContext(
    frame: Frame,
    options: CallOptions & { module: string; action?: string },
  ): ActionContext {
    const locale = options.locale ?? (options.actor.kind === 'user' ? options.actor.locale : DEFAULT_LOCALE);
    const log = options.log ?? baseLog;
    const assertDeclared = (event: EmittedEvent) => {
      if (!eventsByModule.get(options.module)?.has(event.type)) {
        throw new Error(`Module ${options.module} emits ${event.type} without declaring it in its events`);
      }
    };
    const auditRow = (entry: AuditEntry) => ({
      actor_id: entry.actor?.id ?? options.actor.id,
      actor_name:
        entry.actor?.name ?? (options.actor.kind === 'user' ? options.actor.email : options.actor.name),
      action: entry.action ?? options.action ?? options.module,
      entity: entry.entity,
      entity_id: entry.entityId,
      before:
        entry.before === undefined || entry.before === null ? null : JSON.stringify(redact(entry.before)),
      after: entry.after === undefined || entry.after === null ? null : JSON.stringify(redact(entry.after)),
      request_id: options.requestId ?? null,
    });
    return {
      db: frame.trx as AnyTransaction,
      actor: options.actor,
      locale,
      requestId: options.requestId ?? null,
      log,
      async emit(event: EmittedEvent) {
        assertDeclared(event);
        const written = await writeEvent(frame.trx, subscribers, event, options.actor.id);
        // An event nobody subscribes to has nothing to deliver: waking the dispatcher for it
        // would cost a transaction per commit (under load, one connection always busy).
        if (written.deliveries > 0) frame.emitted = true;
      },
      async audit(entry: AuditEntry) {
        await frame.trx.insertInto('core_audit_log').values(auditRow(entry)).execute();
        frame.audits++;
      },
      noAudit() {
        frame.audits++;
      },
      hasAction: (name: string) => actions.has(name),
      can: (permission) => can(options.actor, permission),
      call<T>(name: string, input: unknown) {
        return runAction<T>(frame, name, input, { ...options, locale });
      },
      callAsSystem<T>(name: string, input: unknown, onBehalfOf: string) {
        const actor: Actor = { kind: 'system', id: null, name: `system for ${onBehalfOf}` };
        return runAction<T>(frame, name, input, { ...options, locale, actor });
      },
      actions: () => [...actions.values()],
      afterCommit(fn) {
        frame.afterCommit.push(fn);
      },
      async record(writes) {
        const events = writes.events ?? [];
        for (const event of events) assertDeclared(event);
        // Only the called action's answer is stored under the key, never a nested one's.
        const claim = frame.depth === 1 && options.action ? frame.claim : undefined;
        const answer =
          claim && writes.answer !== undefined
            ? JSON.stringify(get(options.action!).output.parse(writes.answer))
            : undefined;
        const deliveries = await writeRecord(frame.trx, {
          audit: writes.audit && auditRow(writes.audit),
          events: events.map((e) => ({
            type: e.type,
            aggregate_type: e.aggregateType,
            aggregate_id: e.aggregateId,
            payload: JSON.stringify(e.payload),
            actor_id: options.actor.id,
            subscribers: subscribers.filter((s) => subscriberMatches(s, e.type)).map((s) => s.name),
          })),
          answer:
            claim && answer !== undefined
              ? { actorKey: claim.actorKey, key: claim.key, response: answer }
              : undefined,
        });
        if (writes.audit) frame.audits++;
        if (deliveries > 0) frame.emitted = true;
        if (claim && answer !== undefined) claim.saved = answer;
      },
      translate: (code, params) => translate(locale, code, params),
    };
  }

  const baseLog = options.log;

  async function runAction<T>(frame: Frame, name: string, input: unknown, options: CallOptions): Promise<T> {
    const action = get(name);
    if (!can(options.actor, action.permission)) {
      if (options.actor.kind === 'anonymous') throw new AppError(401, 'UNAUTHENTICATED');
      throw forbidden(action.permission);
    }
    const locale = options.locale ?? (options.actor.kind === 'user' ? options.actor.locale : DEFAULT_LOCALE);
    const parsed = parseInput(action.input, input, locale, translate);
    const ctx = makeContext(frame, { ...options, locale, module: action.module, action: action.fullName });
    const auditsBefore = frame.audits;
    frame.depth++;
    const result = await action.run(ctx, parsed).finally(() => {
      frame.depth--;
    });
    // Entries written by the actions it called count: a flow audits through its steps.
    if (action.write && frame.audits === auditsBefore) {
      // Under test a forgotten audit entry fails the test that exercises the write.
      if (process.env.VITEST) throw new Error(`Write action ${action.fullName} recorded no audit entry`);
      ctx.log.warn({ action: action.fullName }, 'a write action recorded no audit entry');
    }
    const output = action.output.safeParse(result);
    if (!output.success) {
      throw new Error(
        `Action ${action.fullName} returned output that breaks its schema: ${output.error.message}`,
      );
    }
    return output.data as T;
  }

  async function inFrame<T>(options: CallOptions, work: (frame: Frame) => Promise<T>): Promise<T> {
    if (options.trx) {
      const frame: Frame = {
        trx: options.trx as Transaction<CoreTables>,
        audits: 0,
        afterCommit: [],
        emitted: false,
        depth: 0,
      };
      // Given a transaction, the caller owns commit: its after-commit work cannot be ours.
      return work(frame);
    }
    let frame: Frame | undefined;
    const result = await inTransaction(db, async (trx) => {
      frame = { trx, audits: 0, afterCommit: [], emitted: false, depth: 0 };
      return work(frame);
    });
    if (frame) {
      if (frame.emitted) for (const listener of committedListeners) listener();
      for (const fn of frame.afterCommit) {
        try {
          await fn();
        } catch (error) {
          baseLog.error({ err: error }, 'after-commit hook failed');
        }
      }
    }
    return result;
  }

  return {
    has: (name) => actions.has(name),
    get,
    list: () => [...actions.values()],
    subscribers,
    call: (name, input, options) => {
      get(name);
      const key = options.idempotencyKey;
      if (!key) return inFrame(options, (frame) => runAction(frame, name, input, options));
      return inFrame(options, async (frame) => {
        const claim = await claimIdempotencyKey(frame.trx, options.actor, key, fingerprint(name, input));
        if (claim.replay) return claim.response as never;
        frame.claim = { actorKey: claim.actorKey, key: claim.key };
        const output = await runAction(frame, name, input, options);
        const early = frame.claim.saved;
        if (early === undefined) await claim.save(output);
        else if (early !== JSON.stringify(output)) {
          // A retry would answer something else than this call did: a bug, and nothing commits.
          throw new Error(`Action ${name} answered differently from the answer it stored early`);
        }
        return output as never;
      });
    },
    withContext: (options, work) => inFrame(options, (frame) => work(makeContext(frame, options))),
    onEventsCommitted: (listener) => {
      committedListeners.push(listener);
    },
  };
}
