// Call activities: the call waits while an instance of the called process (its latest version)
// runs; the child records its parent, its completion continues the parent in the same
// transaction, an error it does not catch is thrown at the call, and ending the call (cancel,
// an interrupting boundary) cancels the child.
import { type Ctx, Step, type Token } from './engine.js';
import { throwEscalation } from './event-subprocess.js';
import { evalValue, FeelError } from './feel.js';
import type { Node } from './model.js';

async function latestDefinition(ctx: Ctx, processId: string) {
  return ctx.db
    .selectFrom('bpm_definitions')
    .select(['id', 'process_id', 'version'])
    .where('process_id', '=', processId)
    .orderBy('version', 'desc')
    .executeTakeFirst();
}

/** Enters a call activity: starts the child and, when it ends at once, moves on in this step. */
export async function enterCallActivity(step: Step, token: Token, node: Node): Promise<void> {
  const called = node.called;
  if (!called) throw new Error(`${node.id} has no called element`);
  const local = step.applyInputs(token);
  const context = { ...step.vars(token.scope_id), ...token.variables };
  const processId = evalValue(called.processId, context);
  if (typeof processId !== 'string' || !processId)
    throw new FeelError(`The called process id "${called.processId}" gave ${JSON.stringify(processId)}`);
  await step.waitFor(token);
  const definition = await latestDefinition(step.ctx, processId);
  if (!definition)
    return step.incident(token, 'CALLED_PROCESS_NOT_FOUND', `No process "${processId}" is deployed`);
  const child = await Step.startCalled(step.ctx, definition, {
    businessKey: step.instance.business_key,
    variables: called.propagateAllParentVariables ? context : local,
    parent: { instanceId: step.instance.id, elementInstanceId: token.id },
  });
  if (!child)
    return step.incident(
      token,
      'CALLED_PROCESS_NO_NONE_START',
      `The process "${processId}" has no none start event to call`,
    );
  child.embedded = true;
  const state = await child.finish();
  await passOn(step, token.id, child, state);
}

/**
 * What a called instance's step left for its call activity: escalations it did not catch (an
 * interrupting boundary ends the call and cancels the child), then its completion or its error.
 */
async function passOn(step: Step, tokenId: string, child: Step, state: string): Promise<void> {
  for (const code of child.raisedEscalations.splice(0)) {
    const token = step.liveTokens().find((t) => t.id === tokenId);
    if (token) await throwEscalation(step, token, code, true);
  }
  if (!step.liveTokens().some((t) => t.id === tokenId && t.state === 'waiting')) return;
  if (state === 'completed') return completeCall(step, tokenId, child.instance.variables);
  if (child.uncaughtError) return step.throwErrorAt(tokenId, child.uncaughtError);
}

/** The child completed: its variables cross over (all, or through the output mappings). */
async function completeCall(step: Step, tokenId: string, childVariables: Record<string, unknown>) {
  const token = step.token(tokenId);
  const node = step.node(token.element_id);
  const all = node.called?.propagateAllChildVariables !== false;
  if (all && node.outputs.length > 0) step.setVars(token.scope_id, childVariables);
  await step.complete(tokenId, all || node.outputs.length > 0 ? childVariables : {});
}

/** A called instance ended in its own step (a task in it completed): the parent moves on. */
export async function resumeCaller(child: Step): Promise<void> {
  const parentId = child.instance.parent_instance_id;
  const tokenId = child.instance.parent_element_instance_id;
  if (!parentId || !tokenId) return;
  const parent = await Step.open(child.ctx, parentId);
  if (!parent.liveTokens().some((t) => t.id === tokenId && t.state === 'waiting')) return;
  await passOn(parent, tokenId, child, child.instance.state);
  await parent.finish();
}

/** The call activity ends before its child: the child (and its own children) are cancelled. */
export async function cancelCalledInstances(step: Step, tokenId: string): Promise<void> {
  const children = await step.ctx.db
    .selectFrom('bpm_instances')
    .select('id')
    .where('parent_element_instance_id', '=', tokenId)
    .where('state', 'in', ['active', 'failed'])
    .execute();
  for (const { id } of children) {
    const child = await Step.open(step.ctx, id);
    child.embedded = true;
    await child.cancel();
    await child.finish();
  }
}
