// Event sub-processes (`triggeredByEvent`) and escalation. A scope (the process, or an embedded
// sub-process's element instance) arms the timer, message and signal starts of its event
// sub-processes when it is entered: their jobs and subscriptions hang on the scope's element
// instance (on the instance id for the process level) and go when the scope ends. Errors and
// escalations look for a matching start while they climb the scopes. An interrupting start ends
// the scope's other tokens and its other triggers; a non-interrupting one runs beside them and
// stays armed.
import type { Step, Token } from './engine.js';
import type { Vars } from './feel.js';
import type { Node } from './model.js';

/** The process level as a scope: its waits carry the instance id. */
function processScope(step: Step): Token {
  return {
    id: step.instance.id,
    scope_id: null,
    element_id: '',
    element_type: 'bpmn:Process',
    state: 'waiting',
    flow_id: null,
    variables: {},
  };
}

function startsOf(step: Step, scopeId: string | null): Node[] {
  const scopeElement = scopeId ? (step.liveTokens().find((t) => t.id === scopeId)?.element_id ?? '') : '';
  return (step.process.eventSubs[scopeElement] ?? []).map((id) => step.node(step.node(id).startId ?? ''));
}

async function arm(step: Step, scope: Token, start: Node): Promise<void> {
  if (start.eventSubStart === 'timer' && start.timer)
    await step.schedule(
      scope,
      start,
      'timer',
      step.timerDue(start, scope.id === step.instance.id ? null : scope.id),
    );
  else if (start.eventSubStart === 'message')
    await step.subscribe(scope, start, step.correlationKey(scope, start));
  else if (start.eventSubStart === 'signal') await step.subscribe(scope, start, '', 'signal');
}

/** A scope was entered (`scope` null: the process started): its event sub-processes wait for their events. */
export async function armEventSubs(step: Step, scope: Token | null): Promise<void> {
  for (const start of startsOf(step, scope?.id ?? null)) await arm(step, scope ?? processScope(step), start);
}

/** The start of an event sub-process of `scopeId` (null: the process) catching an error or escalation. */
export function catchingStart(
  step: Step,
  scopeId: string | null,
  kind: 'error' | 'escalation',
  code: string,
): Node | undefined {
  return startsOf(step, scopeId).find((s) => {
    if (s.eventSubStart !== kind) return false;
    const caught = kind === 'error' ? s.errorCode : s.escalationCode;
    return caught === null || caught === undefined || caught === code;
  });
}

/**
 * Starts an event sub-process in its scope (`scopeKey`: the scope's element instance, or the
 * instance id for the process level); `locals` become the event sub-process's own variables.
 */
export async function triggerEventSub(
  step: Step,
  scopeKey: string,
  start: Node,
  variables: Vars,
  locals: Vars = {},
): Promise<void> {
  const scopeId = scopeKey === step.instance.id ? null : scopeKey;
  const scope = scopeId ? step.liveTokens().find((t) => t.id === scopeId) : processScope(step);
  if (!scope) return; // the scope ended meanwhile
  const eventSub = step.node(start.scope ?? '');
  if (start.interrupting !== false) {
    for (const token of step.liveTokens().filter((t) => t.scope_id === scopeId)) await step.terminate(token);
    const armed = startsOf(step, scopeId).map((s) => s.id);
    await step.ctx.db
      .deleteFrom('bpm_jobs')
      .where('instance_id', '=', step.instance.id)
      .where('element_instance_id', '=', scope.id)
      .where('element_id', 'in', armed)
      .execute();
    await step.ctx.db
      .deleteFrom('bpm_message_subscriptions')
      .where('instance_id', '=', step.instance.id)
      .where('element_instance_id', '=', scope.id)
      .where('element_id', 'in', armed)
      .execute();
  } else if (start.eventSubStart === 'message' || start.eventSubStart === 'signal') {
    // The subscription took this event; a non-interrupting start waits for the next one too.
    await arm(step, scope, start);
  }
  step.setVars(scopeId, variables);
  const token = await step.create(eventSub.id, scopeId, null);
  token.variables = locals;
}

/**
 * Throws an escalation from a token: the nearest escalation boundary or escalation event
 * sub-process catching its code, climbing the scopes. Uncaught, it is not an error: the caller
 * goes on. Answers whether something caught it.
 */
export async function throwEscalation(
  step: Step,
  token: Token,
  code: string,
  /** A call activity passing on its child's escalation: its own boundaries catch it too. */
  fromCalled = false,
): Promise<boolean> {
  const locals = { escalationCode: code };
  for (let at: Token | undefined = token; at; ) {
    const node = step.node(at.element_id);
    const boundary = node.boundaries
      .map((id) => step.node(id))
      .find(
        (b) => b.kind === 'escalationBoundary' && (b.escalationCode === null || b.escalationCode === code),
      );
    if (boundary && (at !== token || fromCalled)) {
      if (boundary.interrupting !== false) await step.terminate(at);
      const catcher = await step.create(boundary.id, at.scope_id, null);
      catcher.variables = locals;
      return true;
    }
    const start = catchingStart(step, at.scope_id, 'escalation', code);
    if (start) {
      await triggerEventSub(step, at.scope_id ?? step.instance.id, start, {}, locals);
      return true;
    }
    const scopeId: string | null = at.scope_id;
    at = scopeId ? step.liveTokens().find((t) => t.id === scopeId) : undefined;
  }
  // Uncaught in a called process: the call activity in the parent gets it after this step's run.
  if (step.instance.parent_instance_id) step.raisedEscalations.push(code);
  return false;
}
