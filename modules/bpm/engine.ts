// The executor. A step is one transaction: lock the instance row, apply one trigger (start, task
// completed, message, timer, retry, incident retry), advance every active token until each waits,
// write history, settle the instance's state. Everything is in the caller's transaction, so a
// service task's module action commits or rolls back with the step.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { PREPARED } from '../../db/database.js';
import { inSavepoint } from '../../db/savepoint.js';
import { AppError, conflict, notFound } from '../../server/core/errors.js';
import type { ActionContext, AuditEntry, EmittedEvent } from '../../server/core/module.js';
import { cancelCalledInstances, enterCallActivity, resumeCaller } from './call-activity.js';
import { departmentGroupUsers } from './candidates.js';
import { armEventSubs, catchingStart, throwEscalation, triggerEventSub } from './event-subprocess.js';
import { evalFeel, evalValue, FeelError, type Vars } from './feel.js';
import { latestFormVersion } from './forms.js';
import { Journal } from './journal.js';
import { type CompiledProcess, compileProcess, type Node, parseBpmn } from './model.js';
import type { BpmTables, ElementState, InstanceState } from './schema.js';
import { firstDue, nextDue, type TimerPlan } from './timers.js';

export type Ctx = ActionContext<BpmTables>;

/** Attempts of a service task that fails technically before it opens an incident. */
export const SERVICE_ATTEMPTS = 3;
/** Backoff before retry n (1-based): 1 s, 4 s, 16 s ... */
export const retryBackoffMs = (attempt: number) => 1000 * 4 ** (attempt - 1);

export type Token = {
  id: string;
  scope_id: string | null;
  element_id: string;
  element_type: string;
  state: ElementState;
  flow_id: string | null;
  variables: Vars;
};

type InstanceRow = {
  id: string;
  definition_id: string;
  process_id: string;
  state: InstanceState;
  variables: Vars;
  business_key: string | null;
  parent_instance_id: string | null;
  parent_element_instance_id: string | null;
};

/** The multi-instance body's bookkeeping, kept in its local variables. */
const MI = '$multiInstance';

const processCache = new Map<string, Promise<CompiledProcess>>();

/** The compiled process of a deployed definition (validated at deploy), cached by its id. */
export function loadProcess(ctx: Ctx, definitionId: string): Promise<CompiledProcess> {
  let cached = processCache.get(definitionId);
  if (!cached) {
    cached = (async () => {
      const row = await ctx.db
        .selectFrom('bpm_definitions')
        .select(['xml', 'process_id'])
        .where('id', '=', definitionId)
        .executeTakeFirstOrThrow();
      const parsed = await parseBpmn(row.xml);
      const element = parsed.processes.find((p) => p.id === row.process_id);
      if (!element) throw new Error(`Definition ${definitionId} has no process ${row.process_id}`);
      return compileProcess(element.element, () => true).process;
    })();
    cached.catch(() => processCache.delete(definitionId));
    processCache.set(definitionId, cached);
  }
  return cached;
}

export type DefinitionRef = { id: string; process_id: string; version: number };

type StartInput = {
  businessKey?: string | null;
  variables?: Vars;
  /** A timer, message or signal start event; the none start when not given. */
  startElementId?: string;
  startMessageKey?: string | null;
  startEventId?: number | null;
  /** A called process: the calling instance and its call activity's element instance. */
  parent?: { instanceId: string; elementInstanceId: string };
};

const actorId = (ctx: Ctx) => (ctx.actor.kind === 'user' ? ctx.actor.id : null);

/** Locks the instance row for this step; every trigger starts here. */
export async function lockInstance(ctx: Ctx, instanceId: string): Promise<InstanceRow> {
  const { rows } = await sql<InstanceRow>`${sql.raw(PREPARED)} select id, definition_id, process_id,
      state, variables, business_key, parent_instance_id, parent_element_instance_id
    from bpm_instances where id = ${instanceId}::uuid for update`.execute(ctx.db);
  const row = rows[0];
  if (!row) throw notFound('bpm_instance', instanceId);
  return row;
}

export class Step {
  private readonly live = new Map<string, Token>();
  private readonly queue: Token[] = [];
  private readonly dirtyTokens = new Set<string>();
  private dirtyInstance = false;
  /** Element-instance writes, flushed in one statement (journal.ts). */
  private readonly journal = new Journal();
  /** The instance's state when the step began (a failed one has open incidents to look at). */
  private readonly openedState: InstanceState;
  private incidentOpened = false;
  /** The instance's own events (started, task created, completed), written at finish in one go. */
  private readonly events: EmittedEvent[] = [];
  /** Attempts already made of a service task that is being retried. */
  readonly attempts = new Map<string, number>();
  /**
   * A called instance run by its parent's step (started by the call activity, or cancelled with
   * it): the parent handles its end, so finish() must not open the parent again.
   */
  embedded = false;
  /** An error no boundary of this called instance caught: it ends here and is thrown at the call. */
  uncaughtError: { code: string; message: string; details: unknown } | null = null;
  /** Escalations nothing in this called instance caught: the call activity's boundaries get them. */
  readonly raisedEscalations: string[] = [];

  private constructor(
    readonly ctx: Ctx,
    readonly instance: InstanceRow,
    readonly process: CompiledProcess,
  ) {
    this.openedState = instance.state;
  }

  static async open(ctx: Ctx, instanceId: string): Promise<Step> {
    const instance = await lockInstance(ctx, instanceId);
    const process = await loadProcess(ctx, instance.definition_id);
    const step = new Step(ctx, instance, process);
    const { rows: tokens } = await sql<Token>`${sql.raw(PREPARED)} select id, scope_id, element_id,
        element_type, state, flow_id, variables
      from bpm_element_instances where instance_id = ${instanceId}::uuid and state in ('active', 'waiting')
      order by seq`.execute(ctx.db);
    for (const token of tokens) {
      step.live.set(token.id, token);
      step.journal.loaded(token);
    }
    return step;
  }

  static async start(ctx: Ctx, definition: DefinitionRef, input: StartInput): Promise<Step> {
    const step = await Step.begin(ctx, definition, input, false);
    if (!step) throw notFound('bpm_definition', definition.id);
    return step;
  }

  /**
   * Starts an instance of `definition` only if it is still its process's latest version (and
   * exists in this database): null otherwise. Lets a caller start from a remembered definition
   * without reading the definitions first, the check being part of the instance's insert.
   */
  static startIfLatest(ctx: Ctx, definition: DefinitionRef, input: StartInput): Promise<Step | null> {
    return Step.begin(ctx, definition, input, true);
  }

  private static async begin(
    ctx: Ctx,
    definition: DefinitionRef,
    input: StartInput,
    onlyIfLatest: boolean,
  ): Promise<Step | null> {
    const variables = JSON.stringify(input.variables ?? {});
    // INSERT ... SELECT from the definition: its absence (or a newer version) inserts nothing.
    // Two texts in all, prepared once per connection.
    const latest = onlyIfLatest
      ? sql`and not exists (select 1 from bpm_definitions newer
          where newer.process_id = d.process_id and newer.version > d.version)`
      : sql``;
    const { rows } = await sql<{ id: string }>`${sql.raw(PREPARED)} insert into bpm_instances
        (definition_id, process_id, version, business_key, state, variables, started_by,
         start_message_key, start_event_id, parent_instance_id, parent_element_instance_id)
      select d.id, d.process_id, d.version, ${input.businessKey ?? null}::text, 'active',
        ${variables}::jsonb, ${actorId(ctx)}::uuid, ${input.startMessageKey ?? null}::text,
        ${input.startEventId ?? null}::bigint, ${input.parent?.instanceId ?? null}::uuid,
        ${input.parent?.elementInstanceId ?? null}::uuid
      from bpm_definitions d where d.id = ${definition.id}::uuid ${latest}
      returning id`.execute(ctx.db);
    const row = rows[0];
    if (!row) return null;
    // The row was just inserted by this transaction (so no one else sees or locks it) and has no
    // tokens yet: the step begins from what was written instead of reading it back.
    const instance: InstanceRow = {
      id: row.id,
      definition_id: definition.id,
      process_id: definition.process_id,
      state: 'active',
      variables: JSON.parse(variables),
      business_key: input.businessKey ?? null,
      parent_instance_id: input.parent?.instanceId ?? null,
      parent_element_instance_id: input.parent?.elementInstanceId ?? null,
    };
    const step = new Step(ctx, instance, await loadProcess(ctx, definition.id));
    step.events.push({
      type: 'bpm.instance.started',
      aggregateType: 'bpm_instance',
      aggregateId: row.id,
      payload: {
        processId: definition.process_id,
        version: definition.version,
        businessKey: input.businessKey ?? null,
      },
    });
    const first = await step.create(input.startElementId ?? step.process.startId, null, null);
    try {
      await armEventSubs(step, null);
    } catch (error) {
      // A correlation key or timer of an event sub-process that cannot be evaluated (a missing
      // variable): the instance starts failed with an incident, never a 500.
      if (!(error instanceof FeelError)) throw error;
      await step.incident(first, 'FEEL_ERROR', error.message);
    }
    return step;
  }

  /** Starts a called process's instance; null when it has no none start event to call. */
  static async startCalled(
    ctx: Ctx,
    definition: { id: string; process_id: string; version: number },
    input: {
      businessKey: string | null;
      variables: Vars;
      parent: { instanceId: string; elementInstanceId: string };
    },
  ): Promise<Step | null> {
    if (!(await loadProcess(ctx, definition.id)).startId) return null;
    return Step.start(ctx, definition, input);
  }

  node(elementId: string): Node {
    const node = this.process.nodes[elementId];
    if (!node) throw new Error(`Element ${elementId} is not in process ${this.process.id}`);
    return node;
  }

  token(id: string): Token {
    const token = this.live.get(id);
    if (!token) throw conflict('BPM_ELEMENT_NOT_ACTIVE', { elementInstanceId: id });
    return token;
  }

  liveTokens(): Token[] {
    return [...this.live.values()];
  }

  // ---- variables -------------------------------------------------------------------------

  /** The scopes from the outermost sub-process to `scopeId`. */
  private chain(scopeId: string | null): Token[] {
    const chain: Token[] = [];
    for (let id = scopeId; id; id = this.live.get(id)?.scope_id ?? null) {
      const scope = this.live.get(id);
      if (!scope) break;
      chain.unshift(scope);
    }
    return chain;
  }

  /** Variables visible in a scope: process, then each enclosing scope's locals. */
  vars(scopeId: string | null): Vars {
    return Object.assign({}, this.instance.variables, ...this.chain(scopeId).map((s) => s.variables));
  }

  /** Sets a variable where it is defined (innermost first), else at the process level. */
  setVar(scopeId: string | null, name: string, value: unknown): void {
    const holder = this.chain(scopeId)
      .reverse()
      .find((s) => Object.hasOwn(s.variables, name));
    if (holder) {
      holder.variables[name] = value;
      this.dirtyTokens.add(holder.id);
    } else {
      this.instance.variables[name] = value;
      this.dirtyInstance = true;
    }
  }

  setVars(scopeId: string | null, values: Vars): void {
    for (const [k, v] of Object.entries(values)) this.setVar(scopeId, k, v);
  }

  /** Applies a task's output mappings (or merges `result` when it has none) to its scope. */
  private applyOutputs(token: Token, result: Vars): void {
    const node = this.node(token.element_id);
    if (node.outputs.length === 0) {
      this.setVars(token.scope_id, result);
      return;
    }
    const context = { ...this.vars(token.scope_id), ...token.variables, ...result };
    for (const m of node.outputs) this.setVar(token.scope_id, m.target, evalFeel(m.source, context));
  }

  applyInputs(token: Token): Vars {
    const node = this.node(token.element_id);
    const context = { ...this.vars(token.scope_id), ...token.variables };
    const local: Vars = {};
    for (const m of node.inputs) local[m.target] = evalFeel(m.source, { ...context, ...local });
    if (node.inputs.length > 0) {
      // on top of what the token already holds (a multi-instance item and loopCounter)
      token.variables = { ...token.variables, ...local };
      this.dirtyTokens.add(token.id);
    }
    return local;
  }

  // ---- tokens ----------------------------------------------------------------------------

  async create(elementId: string, scopeId: string | null, flowId: string | null): Promise<Token> {
    const node = this.node(elementId);
    const token: Token = {
      id: randomUUID(),
      scope_id: scopeId,
      element_id: elementId,
      element_type: node.type,
      state: 'active',
      flow_id: flowId,
      variables: {},
    };
    this.journal.created(token, actorId(this.ctx));
    this.live.set(token.id, token);
    this.queue.push(token);
    return token;
  }

  private async setState(token: Token, state: ElementState): Promise<void> {
    token.state = state;
    // Written at the next flush; an ended token's jobs, subscriptions and open task go with it.
    this.journal.changed(token, actorId(this.ctx));
    this.dirtyTokens.delete(token.id);
    if (state === 'completed' || state === 'terminated') this.live.delete(token.id);
  }

  /**
   * Writes the element instances changed so far (and removes the waits of ended ones). finish()
   * does it; so must anything that reads them in the same transaction before.
   */
  async flush(): Promise<void> {
    this.journalDirtyTokens();
    await this.journal.flush(this.ctx, this.instance.id);
  }

  private journalDirtyTokens(): void {
    for (const id of this.dirtyTokens) {
      const token = this.live.get(id);
      if (token) this.journal.changed(token, null);
    }
    this.dirtyTokens.clear();
  }

  /** Completes a token and sends one new token down each given flow. */
  private async leave(token: Token, flowIds: string[]): Promise<void> {
    if (this.isInner(token)) {
      const body = this.live.get(token.scope_id ?? '');
      if (body) return this.innerDone(token, body, this.node(token.element_id));
    }
    await this.setState(token, 'completed');
    for (const flowId of flowIds) {
      const flow = this.process.flows[flowId];
      if (flow) await this.create(flow.target, token.scope_id, flow.id);
    }
    if (flowIds.length === 0) await this.scopeMaybeDone(token.scope_id);
  }

  /** Ends a token and everything inside it (a sub-process's children). */
  async terminate(token: Token): Promise<void> {
    for (const child of this.liveTokens().filter((t) => t.scope_id === token.id)) await this.terminate(child);
    if (this.node(token.element_id).kind === 'callActivity' && token.state === 'waiting')
      await cancelCalledInstances(this, token.id);
    await this.setState(token, 'terminated');
  }

  private async scopeMaybeDone(scopeId: string | null): Promise<void> {
    if (this.liveTokens().some((t) => t.scope_id === scopeId)) return;
    if (scopeId === null) return; // the instance settles in finish()
    const scope = this.live.get(scopeId);
    if (!scope) return;
    this.applyOutputs(scope, {});
    await this.leave(scope, this.node(scope.element_id).outgoing);
  }

  async waitFor(token: Token): Promise<void> {
    await this.setState(token, 'waiting');
    if (this.isInner(token)) return; // a multi-instance activity's boundaries are on its body
    const node = this.node(token.element_id);
    for (const boundaryId of node.boundaries) {
      const boundary = this.node(boundaryId);
      if (boundary.kind === 'timerBoundary' && boundary.timer)
        await this.schedule(token, boundary, 'timer', this.timerDue(boundary, token.scope_id));
      if (boundary.kind === 'signalBoundary') await this.subscribe(token, boundary, '', 'signal');
      if (boundary.kind === 'messageBoundary')
        await this.subscribe(token, boundary, this.correlationKey(token, boundary));
    }
  }

  correlationKey(token: Token, node: Node): string {
    const message = node.message;
    if (!message) throw new Error(`${node.id} has no message`);
    const key = evalValue(message.correlationKey, { ...this.vars(token.scope_id), ...token.variables });
    if (key === null || key === undefined)
      throw new FeelError(`The correlation key "${message.correlationKey}" of "${node.id}" is null`);
    return String(key);
  }

  async subscribe(token: { id: string }, node: Node, key: string, kind: 'message' | 'signal' = 'message') {
    await this.ctx.db
      .insertInto('bpm_message_subscriptions')
      .values({
        instance_id: this.instance.id,
        element_instance_id: token.id,
        element_id: node.id,
        kind,
        message_name: (kind === 'signal' ? node.signal : node.message?.name) ?? '',
        correlation_key: key,
      })
      .execute();
  }

  timerDue(node: Node, scopeId: string | null): TimerPlan {
    if (!node.timer) throw new Error(`${node.id} has no timer`);
    return firstDue(node.timer, this.vars(scopeId));
  }

  async schedule(
    token: { id: string },
    node: Node,
    kind: 'timer' | 'retry',
    when: Date | TimerPlan,
    attempts = 0,
  ) {
    const plan = when instanceof Date ? { due: when, repeatsLeft: 0 } : when;
    await this.ctx.db
      .insertInto('bpm_jobs')
      .values({
        instance_id: this.instance.id,
        element_instance_id: token.id,
        kind,
        element_id: node.id,
        due_at: plan.due,
        repeats_left: plan.repeatsLeft,
        attempts,
      })
      .execute();
  }

  /** A timer cycle on a boundary fired and its activity still waits: the next occurrence. */
  async repeatTimer(tokenId: string, elementId: string, fired: { due: Date; repeatsLeft: number }) {
    const node = this.node(elementId);
    // An event sub-process's timer repeats only when it does not interrupt, while its scope lives.
    if (node.eventSubStart && node.interrupting !== false) return;
    if (!node.timer) return;
    // The owner of the wait: a token that still waits, or the process level while it runs.
    const owner = tokenId === this.instance.id ? null : this.live.get(tokenId);
    if (owner === undefined || owner?.state === 'active' || (owner === null && this.live.size === 0)) return;
    const next = nextDue(node.timer, this.vars(owner?.scope_id ?? null), fired);
    if (next) await this.schedule({ id: tokenId }, node, 'timer', next);
  }

  async incident(token: Token, code: string, message: string): Promise<void> {
    if (token.state !== 'waiting') await this.setState(token, 'waiting');
    this.incidentOpened = true;
    await this.ctx.db
      .insertInto('bpm_incidents')
      .values({
        instance_id: this.instance.id,
        element_instance_id: token.id,
        element_id: token.element_id,
        code,
        message: message.slice(0, 2000),
        state: 'open',
      })
      .execute();
  }

  // ---- execution -------------------------------------------------------------------------

  /** Advances every active token until each waits. */
  async run(): Promise<void> {
    do {
      for (let token = this.queue.shift(); token; token = this.queue.shift()) {
        if (!this.live.has(token.id) || token.state !== 'active') continue;
        try {
          await this.execute(token);
        } catch (error) {
          if (error instanceof FeelError) await this.incident(token, 'FEEL_ERROR', error.message);
          else throw error;
        }
      }
    } while (await this.settleInclusiveJoins());
  }

  /** Whether `target` can be reached from `from` along flows (and boundary paths). */
  private reaches(from: string, target: string): boolean {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) {
      const id = stack.pop() ?? '';
      if (seen.has(id)) continue;
      seen.add(id);
      const node = this.process.nodes[id];
      if (!node) continue;
      for (const next of [
        ...node.outgoing.map((f) => this.process.flows[f]?.target ?? ''),
        ...node.boundaries,
        ...(node.linkTarget ? [node.linkTarget] : []),
      ]) {
        if (next === target) return true;
        stack.push(next);
      }
    }
    return false;
  }

  /**
   * Fires every inclusive join whose waiting tokens can expect no more: no other live token of
   * its scope can still reach it. Answers whether one fired (the queue has work again).
   */
  private async settleInclusiveJoins(): Promise<boolean> {
    for (const token of this.liveTokens()) {
      const node = this.process.nodes[token.element_id];
      if (node?.kind !== 'inclusiveGateway' || node.incoming.length <= 1 || token.state !== 'waiting')
        continue;
      const here = (t: Token) =>
        t.element_id === node.id && t.scope_id === token.scope_id && t.state === 'waiting';
      const pending = this.liveTokens().some(
        (t) => t.scope_id === token.scope_id && !here(t) && this.reaches(t.element_id, node.id),
      );
      if (pending) continue;
      const waiting = this.liveTokens().filter(here);
      const [first, ...others] = waiting;
      const consumed = others.filter(
        (t, i) => others.findIndex((o) => o.flow_id === t.flow_id) === i && t.flow_id !== first?.flow_id,
      );
      for (const other of consumed) await this.setState(other, 'completed');
      if (!first) continue;
      first.state = 'active';
      try {
        await this.decide(first, node);
      } catch (error) {
        if (error instanceof FeelError) await this.incident(first, 'FEEL_ERROR', error.message);
        else throw error;
      }
      return true;
    }
    return false;
  }

  /** Re-runs a waiting token's element (incident retry, service retry). */
  async resume(tokenId: string): Promise<void> {
    const token = this.token(tokenId);
    token.state = 'active';
    this.queue.push(token);
  }

  /** An inner instance of a multi-instance activity (its scope is the body of the same element). */
  private isInner(token: Token): boolean {
    const scope = token.scope_id ? this.live.get(token.scope_id) : undefined;
    return Boolean(scope && scope.element_id === token.element_id && this.node(token.element_id).multi);
  }

  /** Enters a multi-instance body: one inner instance per item, all at once or one by one. */
  private async enterBody(body: Token, node: Node): Promise<void> {
    const multi = node.multi;
    if (!multi) throw new Error(`${node.id} is not multi-instance`);
    const items = evalFeel(multi.inputCollection, this.vars(body.scope_id));
    if (!Array.isArray(items))
      throw new FeelError(`The input collection "${multi.inputCollection}" of "${node.id}" is not a list`);
    body.variables = { [MI]: { items, next: 0, completed: 0, outputs: items.map(() => null) } };
    if (multi.outputCollection) body.variables[multi.outputCollection] = items.map(() => null);
    this.dirtyTokens.add(body.id);
    if (items.length === 0) return this.leaveBody(body, node);
    await this.waitFor(body);
    const count = multi.sequential ? 1 : items.length;
    for (let i = 0; i < count; i++) await this.nextInner(body, node);
  }

  private bodyState(body: Token): { items: unknown[]; next: number; completed: number; outputs: unknown[] } {
    return body.variables[MI] as { items: unknown[]; next: number; completed: number; outputs: unknown[] };
  }

  private async nextInner(body: Token, node: Node): Promise<void> {
    const state = this.bodyState(body);
    const index = state.next++;
    const inner = await this.create(node.id, body.id, null);
    inner.variables = { loopCounter: index + 1 };
    if (node.multi?.inputElement) inner.variables[node.multi.inputElement] = state.items[index] ?? null;
    this.dirtyTokens.add(inner.id);
    this.dirtyTokens.add(body.id);
  }

  /** An inner instance completed: collect its output, then the next one, or the body is done. */
  private async innerDone(inner: Token, body: Token, node: Node): Promise<void> {
    const multi = node.multi;
    if (!multi) return;
    const state = this.bodyState(body);
    const context = { ...this.vars(body.id), ...inner.variables };
    const index = Number(inner.variables.loopCounter ?? 1) - 1;
    if (multi.outputElement) {
      state.outputs[index] = evalFeel(multi.outputElement, context);
      if (multi.outputCollection) body.variables[multi.outputCollection] = [...state.outputs];
    }
    state.completed++;
    this.dirtyTokens.add(body.id);
    await this.setState(inner, 'completed');
    const active = this.liveTokens().filter((t) => t.scope_id === body.id).length;
    const done =
      (multi.completionCondition &&
        evalFeel(multi.completionCondition, {
          ...context,
          numberOfInstances: state.items.length,
          numberOfCompletedInstances: state.completed,
          numberOfActiveInstances: active,
        }) === true) ||
      state.completed >= state.items.length;
    if (done) return this.leaveBody(body, node);
    if (multi.sequential && state.next < state.items.length) await this.nextInner(body, node);
  }

  private async leaveBody(body: Token, node: Node): Promise<void> {
    for (const inner of this.liveTokens().filter((t) => t.scope_id === body.id)) await this.terminate(inner);
    const multi = node.multi;
    if (multi?.outputCollection) {
      const outputs = this.bodyState(body).outputs;
      this.setVar(body.scope_id, multi.outputCollection, outputs);
    }
    await this.setState(body, 'completed');
    for (const flowId of node.outgoing) {
      const flow = this.process.flows[flowId];
      if (flow) await this.create(flow.target, body.scope_id, flow.id);
    }
    if (node.outgoing.length === 0) await this.scopeMaybeDone(body.scope_id);
  }

  private async execute(token: Token): Promise<void> {
    const node = this.node(token.element_id);
    if (node.multi && !this.isInner(token)) return this.enterBody(token, node);
    switch (node.kind) {
      case 'startEvent':
      case 'task':
      case 'timerBoundary':
      case 'messageBoundary':
      case 'signalBoundary':
        return this.leave(token, node.outgoing);
      case 'errorBoundary':
      case 'escalationBoundary':
        // Only mapped error variables reach the scope, as in Zeebe.
        if (node.outputs.length > 0) this.applyOutputs(token, token.variables);
        return this.leave(token, node.outgoing);
      case 'endEvent':
        return this.leave(token, []);
      case 'terminateEndEvent': {
        await this.setState(token, 'completed');
        for (const other of this.liveTokens().filter((t) => t.scope_id === token.scope_id))
          await this.terminate(other);
        return this.scopeMaybeDone(token.scope_id);
      }
      case 'exclusiveGateway':
        return this.decide(token, node);
      case 'inclusiveGateway':
        // A join waits; settleInclusiveJoins fires it once no other token can still arrive.
        if (node.incoming.length > 1) return this.setState(token, 'waiting');
        return this.decide(token, node);
      case 'parallelGateway':
        return this.parallel(token, node);
      case 'scriptTask': {
        this.applyInputs(token);
        const script = node.script;
        if (!script) throw new Error(`${node.id} has no script`);
        const value = evalFeel(script.expression, { ...this.vars(token.scope_id), ...token.variables });
        this.applyOutputs(token, { [script.resultVariable]: value });
        return this.leave(token, node.outgoing);
      }
      case 'serviceTask':
        return this.service(token, node);
      case 'userTask':
        return this.userTask(token, node);
      case 'timerCatch': {
        const due = this.timerDue(node, token.scope_id);
        await this.waitFor(token);
        return this.schedule(token, node, 'timer', due);
      }
      case 'messageCatch': {
        const key = this.correlationKey(token, node);
        await this.waitFor(token);
        return this.subscribe(token, node, key);
      }
      case 'errorEnd': {
        // The error ends this path and is thrown from the enclosing scope (a sub-process and up).
        await this.setState(token, 'completed');
        const scope = token.scope_id ? this.live.get(token.scope_id) : undefined;
        const code = node.errorCode ?? '';
        const start = catchingStart(this, token.scope_id, 'error', code);
        if (start)
          return triggerEventSub(
            this,
            token.scope_id ?? this.instance.id,
            start,
            {},
            { errorCode: code, errorMessage: `Error end event "${node.id}"`, errorDetails: null },
          );
        if (scope) return this.throwError(scope, code, `Error end event "${node.id}"`);
        if (this.instance.parent_instance_id)
          return this.raiseToParent(code, `Error end event "${node.id}"`, null);
        return this.incident(
          token,
          code,
          `The error "${code}" of end event "${node.id}" is caught by no boundary`,
        );
      }
      case 'signalCatch': {
        await this.waitFor(token);
        return this.subscribe(token, node, '', 'signal');
      }
      case 'signalThrow': {
        // Broadcast after commit through the outbox (bpm.broadcastSignals): at least once, and
        // no step ever locks a second instance.
        await this.ctx.emit({
          type: 'bpm.signal.thrown',
          aggregateType: 'bpm_signal',
          aggregateId: node.signal ?? '',
          payload: {
            name: node.signal ?? '',
            // its input mappings are the signal's variables, as in Zeebe
            variables: this.applyInputs(token),
            instanceId: this.instance.id,
          },
        });
        return this.leave(token, node.outgoing);
      }
      case 'eventBasedGateway': {
        // The first of its events to happen wins; leaving the gateway removes the others' waits.
        const waits: (() => Promise<void>)[] = [];
        for (const flowId of node.outgoing) {
          const target = this.node(this.process.flows[flowId]?.target ?? '');
          if (target.kind === 'timerCatch') {
            const due = this.timerDue(target, token.scope_id);
            waits.push(() => this.schedule(token, target, 'timer', due));
          } else if (target.kind === 'signalCatch') {
            waits.push(() => this.subscribe(token, target, '', 'signal'));
          } else {
            const key = this.correlationKey(token, target);
            waits.push(() => this.subscribe(token, target, key));
          }
        }
        await this.waitFor(token);
        for (const wait of waits) await wait();
        return;
      }
      case 'callActivity':
        return enterCallActivity(this, token, node);
      case 'linkCatch':
        return this.leave(token, node.outgoing);
      case 'linkThrow': {
        // A jump within the scope: the throw ends, its catch continues (checked at deploy).
        await this.setState(token, 'completed');
        await this.create(node.linkTarget ?? '', token.scope_id, null);
        return;
      }
      case 'eventSubProcess':
        await this.waitFor(token);
        await this.create(node.startId ?? '', token.id, null);
        return;
      case 'escalationThrow':
      case 'escalationEnd': {
        // Uncaught, an escalation is no error: the throw moves on, the end ends its path.
        await throwEscalation(this, token, node.escalationCode ?? '');
        if (!this.live.has(token.id)) return; // an interrupting catch ended it
        return this.leave(token, node.kind === 'escalationEnd' ? [] : node.outgoing);
      }
      case 'subProcess': {
        this.applyInputs(token);
        await this.waitFor(token);
        if (!node.startId) throw new Error(`${node.id} has no start event`);
        await this.create(node.startId, token.id, null);
        await armEventSubs(this, token);
        return;
      }
    }
  }

  private async decide(token: Token, node: Node): Promise<void> {
    const vars = this.vars(token.scope_id);
    const chosen: string[] = [];
    for (const flowId of node.outgoing) {
      const flow = this.process.flows[flowId];
      if (!flow || flowId === node.defaultFlow) continue;
      if (flow.condition === null || evalFeel(flow.condition, vars) === true) {
        chosen.push(flowId);
        if (node.kind === 'exclusiveGateway') break;
      }
    }
    if (chosen.length === 0 && node.defaultFlow) chosen.push(node.defaultFlow);
    if (chosen.length === 0) {
      await this.incident(
        token,
        'NO_PATH',
        `No condition out of gateway "${node.id}" is true and it has no default flow`,
      );
      return;
    }
    return this.leave(token, chosen);
  }

  /**
   * A parallel join: tokens wait at the gateway, one per incoming flow is needed. The instance
   * lock serializes steps, so branches arriving in separate transactions see each other.
   */
  private async parallel(token: Token, node: Node): Promise<void> {
    if (node.incoming.length <= 1) return this.leave(token, node.outgoing);
    await this.setState(token, 'waiting');
    const waiting = this.liveTokens().filter(
      (t) => t.element_id === node.id && t.scope_id === token.scope_id && t.state === 'waiting',
    );
    const consumed: Token[] = [];
    for (const flowId of node.incoming) {
      const arrived = waiting.find((t) => t.flow_id === flowId);
      if (!arrived) return; // still waiting for this branch
      consumed.push(arrived);
    }
    const [first, ...others] = consumed;
    for (const other of others) await this.setState(other, 'completed');
    if (first) await this.leave(first, node.outgoing);
  }

  private async service(token: Token, node: Node): Promise<void> {
    const local = this.applyInputs(token);
    const input = node.inputs.length > 0 ? local : { ...this.vars(token.scope_id), ...token.variables };
    const type = node.taskType ?? '';
    // An action of this module may read this instance's rows: they must be written first.
    if (type.startsWith('bpm.')) await this.flush();
    let result: unknown;
    try {
      // As the system: whoever moved the process (a clerk completing a task) may lack the
      // action's permission, which the deployed model was allowed to use. A failing action
      // undoes its own writes only.
      result = await inSavepoint(this.ctx.db, 'bpm_service_task', () =>
        this.ctx.callAsSystem(type, input, `bpm instance ${this.instance.id}`),
      );
    } catch (error) {
      if (error instanceof AppError && error.status < 500) {
        const details = error.details ? ` ${JSON.stringify(error.details)}` : '';
        return this.throwError(token, error.code, `${error.message}${details}`, {
          message: error.message,
          details: error.details ?? null,
        });
      }
      const attempts = (this.attempts.get(token.id) ?? 0) + 1;
      const message = error instanceof Error ? error.message : String(error);
      this.ctx.log.warn(
        { err: error, instanceId: this.instance.id, element: node.id, attempts },
        'service task failed',
      );
      if (attempts >= SERVICE_ATTEMPTS) return this.incident(token, 'TECHNICAL_FAILURE', message);
      await this.setState(token, 'waiting');
      await this.schedule(token, node, 'retry', new Date(Date.now() + retryBackoffMs(attempts)), attempts);
      return;
    }
    const values =
      result && typeof result === 'object' && !Array.isArray(result) ? (result as Vars) : { result };
    this.applyOutputs(token, values);
    return this.leave(token, node.outgoing);
  }

  /**
   * A BPMN error: the nearest error boundary catching the code, else an incident. The boundary
   * sees `errorCode`, `errorMessage` and `errorDetails` (an action's coded error details, e.g.
   * the short lines of STOCK_INSUFFICIENT) for its output mappings, as Zeebe exposes the first two.
   */
  private async throwError(
    token: Token,
    code: string,
    message: string,
    caught: { message: string; details: unknown } = { message, details: null },
  ): Promise<void> {
    for (let at: Token | undefined = token; at; at = at.scope_id ? this.live.get(at.scope_id) : undefined) {
      if (this.isInner(at)) continue; // the body carries the boundaries
      const node = this.node(at.element_id);
      const boundary = node.boundaries
        .map((id) => this.node(id))
        .find((b) => b.kind === 'errorBoundary' && (b.errorCode === null || b.errorCode === code));
      if (boundary) {
        await this.terminate(at);
        const catcher = await this.create(boundary.id, at.scope_id, null);
        catcher.variables = { errorCode: code, errorMessage: caught.message, errorDetails: caught.details };
        this.dirtyTokens.add(catcher.id);
        return;
      }
      const start = catchingStart(this, at.scope_id, 'error', code);
      if (start)
        return triggerEventSub(
          this,
          at.scope_id ?? this.instance.id,
          start,
          {},
          { errorCode: code, errorMessage: caught.message, errorDetails: caught.details },
        );
    }
    if (this.instance.parent_instance_id) return this.raiseToParent(code, caught.message, caught.details);
    await this.incident(token, code, message);
  }

  /** Throws a BPMN error at a waiting token (a call activity whose called instance raised it). */
  async throwErrorAt(tokenId: string, error: { code: string; message: string; details: unknown }) {
    await this.throwError(this.token(tokenId), error.code, error.message, error);
  }

  /** An error nothing in this called instance catches: it ends, the call activity gets the error. */
  private async raiseToParent(code: string, message: string, details: unknown): Promise<void> {
    this.uncaughtError = { code, message, details };
    for (const token of this.liveTokens().filter((t) => t.scope_id === null)) await this.terminate(token);
    this.instance.state = 'cancelled';
  }

  private async userTask(token: Token, node: Node): Promise<void> {
    this.applyInputs(token);
    const vars = { ...this.vars(token.scope_id), ...token.variables };
    const listOf = (value: string | undefined): string[] => {
      if (!value) return [];
      const v = evalValue(value, vars);
      const items = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : [];
      return items.map((x) => String(x).trim()).filter(Boolean);
    };
    const assignee = node.assignee ? evalValue(node.assignee, vars) : null;
    const due = node.dueDate ? evalValue(node.dueDate, vars) : null;
    const dueAt = typeof due === 'string' && !Number.isNaN(Date.parse(due)) ? new Date(due) : null;
    const candidateGroups = listOf(node.candidateGroups);
    await this.waitFor(token);
    // A subject that cannot be worked out is left out: it only labels the task.
    let subject: string | null = null;
    try {
      const value = node.subject ? evalValue(node.subject, vars) : null;
      if (typeof value === 'string' && value.trim()) subject = value.trim().slice(0, 300);
    } catch {
      subject = null;
    }
    const task = await this.ctx.db
      .insertInto('bpm_user_tasks')
      .values({
        instance_id: this.instance.id,
        element_instance_id: token.id,
        element_id: node.id,
        name: node.name,
        assignee: typeof assignee === 'string' && assignee ? assignee : null,
        candidate_groups: JSON.stringify(candidateGroups),
        candidate_users: JSON.stringify(listOf(node.candidateUsers).map((u) => u.toLowerCase())),
        candidate_group_users: JSON.stringify(
          await departmentGroupUsers(this.ctx, candidateGroups, `bpm instance ${this.instance.id}`),
        ),
        form_id: node.formId ?? null,
        form_version: node.formId ? await latestFormVersion(this.ctx, node.formId) : null,
        due_at: dueAt,
        subject,
        state: 'open',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    this.events.push({
      type: 'bpm.task.created',
      aggregateType: 'bpm_instance',
      aggregateId: this.instance.id,
      payload: { taskId: task.id, elementId: node.id, assignee, processId: this.process.id },
    });
  }

  // ---- triggers from outside -------------------------------------------------------------

  /** A waiting task/catch completes with variables (user task, message). */
  async complete(tokenId: string, variables: Vars): Promise<void> {
    const token = this.token(tokenId);
    this.applyOutputs(token, variables);
    await this.leave(token, this.node(token.element_id).outgoing);
  }

  /**
   * A timer fell due or a message arrived for `elementId`, waited on by the token: the catch
   * itself moves on; a boundary starts its path (ending the activity when it interrupts); an
   * event-based gateway's target wins the race and the gateway's other waits go.
   */
  async fireEvent(tokenId: string, elementId: string, variables: Vars = {}): Promise<void> {
    const node = this.node(elementId);
    // An event sub-process's trigger waits on its scope (the instance id for the process level).
    if (node.eventSubStart) return triggerEventSub(this, tokenId, node, variables);
    const token = this.token(tokenId);
    if (elementId === token.element_id) return this.complete(tokenId, variables);
    this.setVars(token.scope_id, variables);
    if (node.attachedTo) {
      // A non-interrupting boundary starts a path beside the activity, which keeps waiting, and
      // its message or signal subscription (used up by this event) waits for the next one.
      if (node.interrupting !== false) await this.terminate(token);
      else if (node.kind === 'messageBoundary')
        await this.subscribe(token, node, this.correlationKey(token, node));
      else if (node.kind === 'signalBoundary') await this.subscribe(token, node, '', 'signal');
      await this.create(node.id, token.scope_id, null);
      return;
    }
    const flow = Object.values(this.process.flows).find(
      (f) => f.source === token.element_id && f.target === elementId,
    );
    await this.setState(token, 'completed');
    const caught = await this.create(elementId, token.scope_id, flow?.id ?? null);
    this.queue.splice(this.queue.indexOf(caught), 1);
    await this.leave(caught, node.outgoing);
  }

  async cancel(): Promise<void> {
    for (const token of this.liveTokens().filter((t) => t.scope_id === null)) await this.terminate(token);
    await this.ctx.db
      .updateTable('bpm_incidents')
      .set({ state: 'resolved', resolved_at: new Date(), resolved_by: actorId(this.ctx) })
      .where('instance_id', '=', this.instance.id)
      .where('state', '=', 'open')
      .execute();
    this.instance.state = 'cancelled';
  }

  /**
   * Runs the queue, writes variables and settles the instance's state. The step's events, and
   * the calling action's audit entry when given (made from the final state), are written in one
   * statement.
   */
  /** An event of the action that moved this step, written with the step's own at finish. */
  emit(event: EmittedEvent): void {
    this.events.push(event);
  }

  async finish(audit?: (state: InstanceState) => AuditEntry): Promise<InstanceState> {
    await this.run();
    this.journalDirtyTokens();
    await this.journal.clearWaits(this.ctx);
    let state: InstanceState = this.instance.state;
    if (state !== 'cancelled') {
      // Incidents are only open on an instance that had failed or opened one in this step.
      const mayHaveIncidents = this.openedState === 'failed' || this.incidentOpened;
      const open =
        mayHaveIncidents &&
        (await this.ctx.db
          .selectFrom('bpm_incidents')
          .select('id')
          .where('instance_id', '=', this.instance.id)
          .where('state', '=', 'open')
          .executeTakeFirst());
      state = open ? 'failed' : this.live.size === 0 ? 'completed' : 'active';
    }
    const ended = state === 'completed' || state === 'cancelled';
    if (ended && Object.keys(this.process.eventSubs).includes('')) {
      // The process level's event sub-processes waited on the instance itself.
      await this.ctx.db.deleteFrom('bpm_jobs').where('element_instance_id', '=', this.instance.id).execute();
      await this.ctx.db
        .deleteFrom('bpm_message_subscriptions')
        .where('element_instance_id', '=', this.instance.id)
        .execute();
    }
    // The step's element instances and the instance's own row in one statement.
    await this.journal.write(this.ctx, this.instance.id, {
      state,
      updatedAt: new Date(),
      variables: this.dirtyInstance ? JSON.stringify(this.instance.variables) : null,
      endedAt: ended ? new Date() : null,
    });
    if (state === 'completed' && this.instance.state !== 'completed') {
      this.events.push({
        type: 'bpm.instance.completed',
        aggregateType: 'bpm_instance',
        aggregateId: this.instance.id,
        payload: { processId: this.process.id, businessKey: this.instance.business_key },
      });
    }
    if (this.events.length > 0 || audit)
      await this.ctx.record({ events: this.events.splice(0), ...(audit && { audit: audit(state) }) });
    const returns =
      (state === 'completed' && this.instance.state !== 'completed') ||
      this.uncaughtError !== null ||
      this.raisedEscalations.length > 0;
    this.instance.state = state;
    if (returns && !this.embedded && this.instance.parent_instance_id) await resumeCaller(this);
    return state;
  }
}

/**
 * Delivers a signal to every catch waiting for it, instance by instance (each locked in turn, in
 * id order so two broadcasts never deadlock); answers how many catches it reached.
 */
export async function broadcastSignal(ctx: Ctx, name: string, variables: Vars): Promise<number> {
  const instances = await ctx.db
    .selectFrom('bpm_message_subscriptions')
    .select('instance_id')
    .distinct()
    .where('kind', '=', 'signal')
    .where('message_name', '=', name)
    .orderBy('instance_id')
    .execute();
  let caught = 0;
  for (const { instance_id } of instances) {
    const step = await Step.open(ctx, instance_id);
    const subs = await ctx.db
      .selectFrom('bpm_message_subscriptions')
      .select(['id', 'element_instance_id', 'element_id'])
      .where('instance_id', '=', instance_id)
      .where('kind', '=', 'signal')
      .where('message_name', '=', name)
      .orderBy('id')
      .execute();
    for (const sub of subs) {
      const still = await ctx.db
        .deleteFrom('bpm_message_subscriptions')
        .where('id', '=', sub.id)
        .returning('id')
        .executeTakeFirst();
      // an earlier catch of this signal may have ended this one (an event-based gateway, a boundary)
      const waiting =
        sub.element_instance_id === instance_id ||
        step.liveTokens().some((t) => t.id === sub.element_instance_id);
      if (!still || !waiting) continue;
      await step.fireEvent(sub.element_instance_id, sub.element_id, variables);
      caught++;
    }
    await step.finish();
  }
  return caught;
}
