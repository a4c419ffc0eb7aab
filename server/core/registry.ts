// The action registry: every module's actions by their full name (`crm.getClient`), called
// with permission check, validated input and output, inside a transaction given or opened.
import { type Kysely, sql, type Transaction } from 'kysely';
import { type AnyTransaction, PREPARED, withGenericPlans } from '../../db/database.js';
import { AppError, forbidden } from './errors.js';
import { GroupQueue, type Settled } from './group-queue.js';
import {
  actorKey,
  claimIdempotencyKey,
  claimIdempotencyKeys,
  fingerprint,
  IDEMPOTENCY_KEY,
} from './idempotency.js';
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
import {
  type AuditRow,
  type EventRow,
  IdempotencyKeyTaken,
  isKeyTaken,
  type KeyRow,
  type Records,
  recordParts,
  writeRecords,
} from './record.js';
import type { CoreTables } from './schema.js';
import { answeredByDatabase, inTransaction } from './transaction.js';
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

/**
 * An audit snapshot as JSON, its secrets removed whatever the action passes: by the replacer,
 * so that the snapshot (a whole answer, often) is not copied to be redacted.
 */
export function redactedJson(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => (SECRET_KEY.test(key) ? '[redacted]' : v));
}

/** The audit log's row for an entry written by a call with these options. */
function auditRowOf(
  entry: AuditEntry,
  options: { actor: Actor; requestId?: string | null; module: string; action?: string },
): AuditRow {
  return {
    actor_id: entry.actor?.id ?? options.actor.id,
    actor_name:
      entry.actor?.name ?? (options.actor.kind === 'user' ? options.actor.email : options.actor.name),
    action: entry.action ?? options.action ?? options.module,
    entity: entry.entity,
    entity_id: entry.entityId,
    before: entry.before === undefined || entry.before === null ? null : redactedJson(entry.before),
    after: entry.after === undefined || entry.after === null ? null : redactedJson(entry.after),
    request_id: options.requestId ?? null,
  };
}

/**
 * Group commit: calls in one group at most; groups of one action running at once (two, so one
 * stuck behind a row lock does not stop every posting, measured as fast as one); and how long
 * a group may wait to regrow right after another: about what the server takes to answer a
 * group of ten and read their next calls (docs/benchmarks.md, "Group commit" and "Bigger
 * groups"). A server with one caller at a time never waits.
 */
const GROUP_MAX = 64;
const GROUP_PARALLEL = 2;
const GROUP_LINGER_MS = 3;

type GroupItem = { action: RegisteredAction; input: unknown; parsed: unknown; options: CallOptions };

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

  function eventRow(e: EmittedEvent, actor: Actor): EventRow {
    return {
      type: e.type,
      aggregate_type: e.aggregateType,
      aggregate_id: e.aggregateId,
      payload: JSON.stringify(e.payload),
      actor_id: actor.id,
      subscribers: subscribers.filter((s) => subscriberMatches(s, e.type)).map((s) => s.name),
    };
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
    const auditRow = (entry: AuditEntry) => auditRowOf(entry, options);
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
        const { deliveries } = await writeRecords(frame.trx, {
          audits: writes.audit ? [auditRow(writes.audit)] : [],
          events: events.map((e) => eventRow(e, options.actor)),
          answers:
            claim && answer !== undefined
              ? [{ actorKey: claim.actorKey, key: claim.key, response: answer }]
              : [],
        });
        if (writes.audit) frame.audits++;
        if (deliveries > 0) frame.emitted = true;
        if (claim && answer !== undefined) claim.saved = answer;
      },
      translate: (code, params) => translate(locale, code, params),
    };
  }

  const baseLog = options.log;

  const localeOf = (options: CallOptions) =>
    options.locale ?? (options.actor.kind === 'user' ? options.actor.locale : DEFAULT_LOCALE);

  /** Checks the caller's permission and parses the input: what a call needs before any SQL. */
  function admit(action: RegisteredAction, input: unknown, options: CallOptions): unknown {
    if (!can(options.actor, action.permission)) {
      if (options.actor.kind === 'anonymous') throw new AppError(401, 'UNAUTHENTICATED');
      throw forbidden(action.permission);
    }
    return parseInput(action.input, input, localeOf(options), translate);
  }

  async function runAction<T>(frame: Frame, name: string, input: unknown, options: CallOptions): Promise<T> {
    const action = get(name);
    const parsed = admit(action, input, options);
    const locale = localeOf(options);
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
    if (frame) await committed(frame);
    return result;
  }

  async function committed(frame: Frame): Promise<void> {
    if (frame.emitted) for (const listener of committedListeners) listener();
    for (const fn of frame.afterCommit) {
      try {
        await fn();
      } catch (error) {
        baseLog.error({ err: error }, 'after-commit hook failed');
      }
    }
  }

  const queues = new Map<string, GroupQueue<GroupItem>>();
  function queueOf(action: RegisteredAction): GroupQueue<GroupItem> {
    let queue = queues.get(action.fullName);
    if (!queue) {
      queue = new GroupQueue<GroupItem>({
        maxSize: GROUP_MAX,
        parallel: GROUP_PARALLEL,
        linger: GROUP_LINGER_MS,
        keyOf: (item) =>
          item.options.idempotencyKey && `${actorKey(item.options.actor)}\n${item.options.idempotencyKey}`,
        run: (items) => runGroup(action, items),
      });
      queues.set(action.fullName, queue);
    }
    return queue;
  }

  const callOptionsOf = (action: RegisteredAction, item: GroupItem) => ({
    ...item.options,
    locale: localeOf(item.options),
    module: action.module,
    action: action.fullName,
  });

  /** A grouped call's output, checked as a lone call's would be: its schema, audit and events. */
  function checkedOutcome(
    action: RegisteredAction,
    outcome: { output: unknown; audit?: AuditEntry; events?: EmittedEvent[] },
  ): unknown {
    const output = action.output.safeParse(outcome.output);
    if (!output.success) {
      throw new Error(
        `Action ${action.fullName} returned output that breaks its schema: ${output.error.message}`,
      );
    }
    if (action.write && !outcome.audit) {
      throw new Error(`Write action ${action.fullName} recorded no audit entry for a grouped call`);
    }
    for (const event of outcome.events ?? []) {
      if (!eventsByModule.get(action.module)?.has(event.type)) {
        throw new Error(`Module ${action.module} emits ${event.type} without declaring it in its events`);
      }
    }
    return output.data;
  }

  /**
   * A group written by one statement on the action's beliefs (`group.plan`), its records
   * included: no transaction around it, so the rows it locks are held only while it finishes
   * and commits. Nothing (the locking transaction runs instead) when the action makes no plan,
   * or the statement failed with the database's answer (`core_hold`: a belief was wrong; or any
   * other error), since then nothing of it was kept; `claimFirst` when a key was taken. A
   * statement that got no answer at all (a lost connection) may have committed: each call gets
   * the error, as in a transaction whose commit got none.
   */
  async function runPlanned(
    action: RegisteredAction,
    items: GroupItem[],
  ): Promise<Settled[] | 'claimFirst' | undefined> {
    const plan = action.group!.plan!(
      items.map((item) => {
        const options = callOptionsOf(action, item);
        return {
          input: item.parsed,
          ctx: {
            actor: options.actor,
            locale: options.locale,
            requestId: options.requestId ?? null,
            log: options.log ?? baseLog,
            can: (permission) => can(options.actor, permission),
            translate: (code, params) => translate(options.locale, code, params),
          },
        };
      }),
      db,
    );
    if (!plan) return undefined;
    let held = false;
    try {
      if (plan.outcomes.length !== items.length) {
        throw new Error(`Action ${action.fullName} planned ${plan.outcomes.length} of ${items.length} calls`);
      }
      const records: Required<Pick<Records, 'audits' | 'events' | 'keys'>> = {
        audits: [],
        events: [],
        keys: [],
      };
      const calls = { audits: [] as number[], events: [] as number[], keys: [] as number[] };
      const values = items.map((item, i) => {
        const outcome = plan.outcomes[i]!;
        const value = checkedOutcome(action, outcome);
        records.audits.push(auditRowOf(outcome.audit, callOptionsOf(action, item)));
        calls.audits.push(i + 1);
        for (const event of outcome.events ?? []) {
          records.events.push(eventRow(event, item.options.actor));
          calls.events.push(i + 1);
        }
        const key = item.options.idempotencyKey;
        if (key !== undefined) {
          records.keys.push({
            actorKey: actorKey(item.options.actor),
            key,
            fingerprint: fingerprint(action.fullName, item.input),
            response: JSON.stringify(value),
          });
          calls.keys.push(i + 1);
        }
        return value;
      });
      const { parts, deliveries, written } = recordParts(records, { numbered: plan.numbered, calls });
      const numbers = plan.numbered
        ? sql`, array(select number from numbered order by call) as numbers`
        : sql``;
      // The main query's columns run in order: the records are written first, then the group's
      // own rows that need no lock, then its locks are taken and its beliefs checked (\`holds\`):
      // locks are held for the rest and the commit only. A belief wrong fails the statement.
      const { rows } = await sql<{ numbers?: string[] }>`${sql.raw(PREPARED)}
        with ${plan.with}${parts.length > 0 ? sql`, ${sql.join(parts)}` : sql``}
        select ${written} as written, core_hold((select ok from holds), ${action.fullName}) as held${numbers}`.execute(
        withGenericPlans(db),
      );
      held = true;
      if (plan.numbered) {
        const drawn = rows[0]!.numbers ?? [];
        values.forEach((value, i) => {
          if (value && typeof value === 'object' && 'number' in value) {
            (value as { number: unknown }).number = drawn[i];
          }
        });
      }
      if (deliveries > 0) for (const listener of committedListeners) listener();
      return values.map((value) => ({ ok: true, value }));
    } catch (error) {
      if (isKeyTaken(error)) return 'claimFirst';
      if (answeredByDatabase(error)) return undefined;
      return items.map(() => ({ ok: false, error }));
    } finally {
      plan.settled(held);
    }
  }

  /**
   * Runs a group of calls of one action in one transaction: the action's group run, then every
   * audit entry, event and answer in one statement. Keys are written with the answers, at the
   * end, rather than claimed before the work (a statement fewer for every group): a key another
   * call took meanwhile fails that statement, and the group runs again claiming its keys first,
   * which replays or refuses those calls as a lone call would. If the transaction fails
   * otherwise, each call runs again alone, so one call's data that breaks a shared statement,
   * or a lost connection, fails only what it must.
   */
  async function runGroup(
    action: RegisteredAction,
    items: GroupItem[],
    claimFirst = false,
    tryPlan = true,
  ): Promise<Settled[]> {
    if (tryPlan && !claimFirst && action.group?.plan) {
      const planned = await runPlanned(action, items);
      if (planned === 'claimFirst') return runGroup(action, items, true, false);
      if (planned) return planned;
    }
    let frame: Frame | undefined;
    let committing = false;
    try {
      // A group's statements take their rows as arrays: planned once (see withGenericPlans).
      const settled = await inTransaction(withGenericPlans(db), async (trx) => {
        committing = false;
        const current: Frame = { trx, audits: 0, afterCommit: [], emitted: false, depth: 1 };
        frame = current;
        const results: (Settled | undefined)[] = items.map(() => undefined);
        const prints = items.map((item) =>
          item.options.idempotencyKey ? fingerprint(action.fullName, item.input) : '',
        );
        const keyOf = (item: GroupItem) => ({
          actorKey: actorKey(item.options.actor),
          key: item.options.idempotencyKey!,
        });
        const claims = new Map<number, KeyRow>();
        const keyed = items.flatMap((item, i) => (item.options.idempotencyKey ? [{ item, i }] : []));
        if (claimFirst && keyed.length > 0) {
          const outcomes = await claimIdempotencyKeys(
            trx,
            keyed.map(({ item, i }) => ({
              actor: item.options.actor,
              key: item.options.idempotencyKey!,
              print: prints[i]!,
            })),
          );
          keyed.forEach(({ i }, n) => {
            const claim = outcomes[n]!;
            if (claim.outcome === 'claimed') claims.set(i, claim);
            else if (claim.outcome === 'replay') results[i] = { ok: true, value: claim.response };
            else results[i] = { ok: false, error: claim.error };
          });
        }
        const live = items.flatMap((item, i) => (results[i] ? [] : [{ item, i }]));
        const optionsOf = (item: GroupItem) => callOptionsOf(action, item);
        const outcomes =
          live.length === 0
            ? []
            : await action.group!.run(
                live.map(({ item }) => ({
                  input: item.parsed,
                  ctx: makeContext(current, optionsOf(item)),
                })),
                db,
              );
        if (outcomes.length !== live.length) {
          throw new Error(
            `Action ${action.fullName} answered ${outcomes.length} of ${live.length} grouped calls`,
          );
        }
        const records: Required<Records> = {
          audits: [],
          events: [],
          answers: [],
          released: [],
          keys: [],
          probes: [],
        };
        live.forEach(({ item, i }, n) => {
          const outcome = outcomes[n]!;
          const claim = claims.get(i);
          const unclaimed = !claimFirst && item.options.idempotencyKey !== undefined;
          if (!outcome.ok) {
            results[i] = { ok: false, error: outcome.error };
            if (claim) records.released.push(claim);
            if (unclaimed) records.probes.push({ ...keyOf(item), fingerprint: prints[i]! });
            return;
          }
          const value = checkedOutcome(action, outcome);
          results[i] = { ok: true, value };
          if (outcome.audit) records.audits.push(auditRowOf(outcome.audit, optionsOf(item)));
          for (const event of outcome.events ?? []) records.events.push(eventRow(event, item.options.actor));
          const response = JSON.stringify(value);
          if (claim) records.answers.push({ ...claim, response });
          if (unclaimed) records.keys.push({ ...keyOf(item), fingerprint: prints[i]!, response });
        });
        const written = await writeRecords(trx, records);
        if (written.deliveries > 0) current.emitted = true;
        if (written.probed.length < records.probes.length) throw new IdempotencyKeyTaken();
        // A refused call leaves its key free (a retry runs again), as a lone call's does.
        if (written.probed.length > 0) await writeRecords(trx, { released: written.probed });
        committing = true;
        return results as Settled[];
      });
      if (frame) await committed(frame);
      return settled;
    } catch (error) {
      // A key taken by another call (an earlier call, or a retry racing its first call): the
      // group claims first, to replay or refuse those calls rather than run them again.
      if (!claimFirst && !committing && isKeyTaken(error)) return runGroup(action, items, true, false);
      // A failed commit may yet have committed (a connection lost after sending it): running
      // the calls again could do them twice, so each gets the error, as a lone call would.
      if (items.length === 1 || committing) return items.map(() => ({ ok: false, error }));
      return Promise.all(items.map(async (item) => (await runGroup(action, [item], claimFirst, false))[0]!));
    }
  }

  return {
    has: (name) => actions.has(name),
    get,
    list: () => [...actions.values()],
    subscribers,
    call: (name, input, options) => {
      const action = get(name);
      const key = options.idempotencyKey;
      if (action.group && !options.trx) {
        // Checked before the call waits in line: a refusal needs no transaction.
        let parsed: unknown;
        try {
          parsed = admit(action, input, options);
        } catch (error) {
          return Promise.reject(error);
        }
        if (action.group.accepts(parsed)) {
          if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
            return Promise.reject(new AppError(400, 'IDEMPOTENCY_KEY_INVALID'));
          }
          return queueOf(action).submit({ action, input, parsed, options }) as Promise<never>;
        }
      }
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
