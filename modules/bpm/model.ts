// Parses BPMN 2.0 XML with bpmn-moddle and the Zeebe extension, validates it into a list of
// problems and compiles each executable process into a plain graph the engine walks.
import { BpmnModdle, type ModdleElement } from 'bpmn-moddle';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { feelSyntaxError, isExpression } from './feel.js';
import { type TimerDefinition, timerValueProblem } from './timers.js';

export type Problem = {
  elementId: string | null;
  elementType: string | null;
  name: string | null;
  message: string;
};

export type Mapping = { source: string; target: string };

export type NodeKind =
  | 'startEvent'
  | 'endEvent'
  | 'terminateEndEvent'
  | 'exclusiveGateway'
  | 'parallelGateway'
  | 'inclusiveGateway'
  | 'serviceTask'
  | 'scriptTask'
  | 'userTask'
  | 'task'
  | 'timerCatch'
  | 'messageCatch'
  | 'timerBoundary'
  | 'errorBoundary'
  | 'messageBoundary'
  | 'signalCatch'
  | 'signalBoundary'
  | 'signalThrow'
  | 'errorEnd'
  | 'eventBasedGateway'
  | 'subProcess'
  | 'callActivity'
  | 'eventSubProcess'
  | 'escalationThrow'
  | 'escalationEnd'
  | 'escalationBoundary'
  | 'linkThrow'
  | 'linkCatch';

export type Node = {
  id: string;
  /** The BPMN type, e.g. `bpmn:UserTask`. */
  type: string;
  kind: NodeKind;
  name: string | null;
  /** The name in other languages, from `zeebe:property name="name:uz"` (and `name:ru`, `name:en`). */
  names?: LocalizedNames;
  /** The embedded sub-process it is in; null for the process level. */
  scope: string | null;
  incoming: string[];
  outgoing: string[];
  defaultFlow: string | null;
  boundaries: string[];
  attachedTo: string | null;
  inputs: Mapping[];
  outputs: Mapping[];
  taskType?: string;
  script?: { expression: string; resultVariable: string };
  assignee?: string;
  candidateGroups?: string;
  candidateUsers?: string;
  dueDate?: string;
  formId?: string;
  /** User task: what it is about, a FEEL expression (`zeebe:property name="subject"`). */
  subject?: string;
  timer?: TimerDefinition;
  /** Message start: a FEEL condition on the message's variables (`zeebe:property name="condition"`). */
  condition?: string;
  /**
   * None start: the variable that receives the id of the user who started the instance
   * (`zeebe:property name="initiator"`, as Camunda 7's `camunda:initiator`): set by the
   * engine from the signed-in starter, never taken from the request.
   */
  initiator?: string;
  /** None start: the pages a person may start it from (`zeebe:property name="startFrom"`). */
  startFrom?: string[];
  message?: { name: string; correlationKey: string };
  /** Signal catch, boundary, throw or end: the signal's name. */
  signal?: string;
  /** Boundary: whether it ends the activity it is attached to. */
  interrupting?: boolean;
  /** Error boundary: the caught code; null catches every error. */
  errorCode?: string | null;
  /** Escalation throw, end, boundary or event sub-process start: its code (null catches all). */
  escalationCode?: string | null;
  /** The start event of an event sub-process: what triggers it (timer, message, signal, error, escalation). */
  eventSubStart?: 'timer' | 'message' | 'signal' | 'error' | 'escalation';
  /** Multi-instance: a body scope runs one inner instance per item of the FEEL collection. */
  multi?: {
    sequential: boolean;
    inputCollection: string;
    inputElement: string | null;
    outputCollection: string | null;
    outputElement: string | null;
    completionCondition: string | null;
  };
  /** Call activity: the called process (FEEL allowed) and which variables cross over. */
  called?: { processId: string; propagateAllChildVariables: boolean; propagateAllParentVariables: boolean };
  /** Link throw or catch: the link's name; a throw also the catch it jumps to. */
  link?: string;
  linkTarget?: string;
  /** Sub-process: its none start event. */
  startId?: string;
};

export type Flow = { id: string; source: string; target: string; condition: string | null };

export type LocalizedNames = Partial<Record<'uz' | 'ru' | 'en', string>>;

/**
 * The names an element gives itself in the three languages of the suite. BPMN has one name per
 * element; tasks are read by people in Uzbek, Russian and English, so a model may carry the
 * others as Zeebe extension properties (editable in the Camunda Modeler).
 */
function localizedNames(el: ModdleElement): LocalizedNames | undefined {
  const names: LocalizedNames = {};
  for (const p of list(extension(el, 'zeebe:Properties'), 'properties')) {
    const key = /^name:(uz|ru|en)$/.exec(str(p, 'name') ?? '')?.[1] as keyof LocalizedNames | undefined;
    const value = str(p, 'value')?.trim();
    if (key && value) names[key] = value;
  }
  return Object.keys(names).length > 0 ? names : undefined;
}

/** The element's or process's name in `locale`, else its BPMN name. */
export function nameIn(
  holder: { name: string | null; names?: LocalizedNames } | undefined,
  locale: string,
): string | null {
  return holder?.names?.[locale as keyof LocalizedNames] ?? holder?.name ?? null;
}

export type CompiledProcess = {
  id: string;
  name: string | null;
  /** The process's name in other languages (its `name:uz`, `name:ru`, `name:en` properties). */
  names?: LocalizedNames;
  nodes: Record<string, Node>;
  flows: Record<string, Flow>;
  /** The process's none start event; '' when it has only event starts. */
  startId: string;
  /** Timer, message and signal start events of the process level. */
  eventStarts: string[];
  /** Event sub-processes by the scope they watch: '' the process, else the sub-process's id. */
  eventSubs: Record<string, string[]>;
};

export type ParsedDefinitions = {
  processes: { id: string; name: string | null; executable: boolean; element: ModdleElement }[];
  warnings: string[];
};

export class BpmnParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BpmnParseError';
  }
}

/** Decodes a BPMN file honouring the encoding its XML declaration names (MIWG has ISO-8859-1). */
export function decodeXml(bytes: Uint8Array): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const declared = /encoding=["']([\w-]+)["']/i.exec(head)?.[1]?.toLowerCase();
  const encoding = declared && /^(iso-8859-1|latin1|windows-1252)$/.test(declared) ? 'latin1' : 'utf-8';
  return new TextDecoder(encoding).decode(bytes);
}

const moddle = new BpmnModdle({ zeebe });

const list = (el: ModdleElement | undefined, key: string): ModdleElement[] => {
  const value = el?.[key];
  return Array.isArray(value) ? (value as ModdleElement[]) : [];
};
const str = (el: ModdleElement | undefined, key: string): string | undefined => {
  const value = el?.[key];
  return typeof value === 'string' ? value : undefined;
};
const ref = (el: ModdleElement | undefined, key: string): ModdleElement | undefined => {
  const value = el?.[key];
  return value && typeof value === 'object' && '$type' in value ? (value as ModdleElement) : undefined;
};
const extension = (el: ModdleElement, type: string): ModdleElement | undefined =>
  list(ref(el, 'extensionElements'), 'values').find((v) => v.$type === type);

export async function parseBpmn(xml: string): Promise<ParsedDefinitions> {
  if (!/<([\w-]+:)?definitions[\s>]/.test(xml)) {
    throw new BpmnParseError('The document is not BPMN 2.0: it has no <definitions> element.');
  }
  let result: Awaited<ReturnType<BpmnModdle['fromXML']>>;
  try {
    result = await moddle.fromXML(xml);
  } catch (error) {
    throw new BpmnParseError(`The XML cannot be read: ${(error as Error).message.split('\n')[0]}`);
  }
  const root = result.rootElement;
  if (root.$type !== 'bpmn:Definitions')
    throw new BpmnParseError('The document is not BPMN 2.0 definitions.');
  const processes = list(root, 'rootElements')
    .filter((e) => e.$type === 'bpmn:Process')
    .map((element) => ({
      id: element.id ?? '',
      name: element.name ?? null,
      executable: element.isExecutable === true,
      element,
    }));
  return { processes, warnings: result.warnings.map((w) => w.message.split('\n')[0] ?? '') };
}

const EMBEDDED_FORM_KEY = 'camunda-forms:bpmn:';

/**
 * The stored id of a form embedded in a process (`zeebe:userTaskForm`), named by a user task's
 * `formKey="camunda-forms:bpmn:<id>"`: scoped by the process, since embedded ids are only local.
 * Any other form key is kept as it is (and must then name a deployed form).
 */
export function embeddedFormId(processId: string, formKey: string): string {
  return formKey.startsWith(EMBEDDED_FORM_KEY)
    ? `${processId}:${formKey.slice(EMBEDDED_FORM_KEY.length)}`
    : formKey;
}

/** The forms embedded in a process's extension elements (`zeebe:userTaskForm id` + JSON body). */
export function embeddedForms(processElement: ModdleElement): { id: string; body: string }[] {
  return list(ref(processElement, 'extensionElements'), 'values')
    .filter((v) => v.$type === 'zeebe:UserTaskForm')
    .map((v) => ({
      id: embeddedFormId(processElement.id ?? '', `${EMBEDDED_FORM_KEY}${str(v, 'id') ?? ''}`),
      body: str(v, 'body') ?? '',
    }));
}

/** Which action names exist (a service task type must name one). */
export type ActionCheck = (name: string) => boolean;

/** Compiles one process, collecting every problem; the process is usable only when none. */
export function compileProcess(
  processElement: ModdleElement,
  hasAction: ActionCheck,
): { process: CompiledProcess; problems: Problem[] } {
  const problems: Problem[] = [];
  const nodes: Record<string, Node> = {};
  const flows: Record<string, Flow> = {};
  const problem = (el: ModdleElement, message: string) =>
    problems.push({ elementId: el.id ?? null, elementType: el.$type, name: el.name ?? null, message });
  const checkFeel = (el: ModdleElement, expression: string | undefined, what: string) => {
    if (!expression) return;
    if (!isExpression(expression) && !/\$\{/.test(expression)) return;
    const error = feelSyntaxError(expression);
    if (error) problem(el, `${what}: ${error}`);
  };
  let processStart: string | null = null;
  const signalOf = (el: ModdleElement, definition: ModdleElement): string => {
    const name = ref(definition, 'signalRef')?.name;
    if (!name) problem(el, 'A signal event needs a signal with a name');
    return name ?? '';
  };
  const messageOf = (el: ModdleElement, holder: ModdleElement | undefined): Node['message'] => {
    const message = ref(holder, 'messageRef');
    const key = message ? str(extension(message, 'zeebe:Subscription'), 'correlationKey') : undefined;
    if (!message?.name) problem(el, 'A message catch needs a message with a name');
    if (!key) problem(el, 'A message catch needs zeebe:subscription correlationKey');
    checkFeel(el, key, 'Correlation key');
    return { name: message?.name ?? '', correlationKey: key ?? '' };
  };

  const eventStarts: string[] = [];
  const eventSubs: Record<string, string[]> = {};
  const linkOf = (el: ModdleElement, definition: ModdleElement) => {
    const name = str(definition, 'name') ?? el.name;
    if (!name) problem(el, 'A link event needs a link name');
    return name ?? '';
  };
  const escalationOf = (definition: ModdleElement) =>
    str(ref(definition, 'escalationRef'), 'escalationCode') ?? null;
  const walk = (container: ModdleElement, scope: string | null, eventSub = false) => {
    const starts: string[] = [];
    for (const el of list(container, 'flowElements')) {
      const id = el.id ?? '';
      if (el.$type === 'bpmn:SequenceFlow') {
        const conditionEl = ref(el, 'conditionExpression');
        let condition: string | null = null;
        if (conditionEl) {
          const language = str(conditionEl, 'language');
          const text = (str(conditionEl, 'body') ?? '').trim();
          if (language && !/feel/i.test(language)) {
            problem(el, `The condition is written in ${language}; only FEEL conditions are executed`);
          } else if (/\$\{/.test(text)) {
            problem(el, `The condition "${text}" is a JavaScript/JUEL expression; only FEEL is executed`);
          } else {
            const error = feelSyntaxError(text);
            if (error) problem(el, error);
            condition = text;
          }
        }
        flows[id] = {
          id,
          source: ref(el, 'sourceRef')?.id ?? '',
          target: ref(el, 'targetRef')?.id ?? '',
          condition,
        };
        continue;
      }
      if (['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference'].includes(el.$type))
        continue;
      const node: Node = {
        id,
        type: el.$type,
        kind: 'task',
        name: el.name ?? null,
        names: localizedNames(el),
        scope,
        incoming: list(el, 'incoming').map((f) => f.id ?? ''),
        outgoing: list(el, 'outgoing').map((f) => f.id ?? ''),
        defaultFlow: ref(el, 'default')?.id ?? null,
        boundaries: [],
        attachedTo: null,
        inputs: [],
        outputs: [],
      };
      const io = extension(el, 'zeebe:IoMapping');
      const mappings = (key: string) =>
        list(io, key).map((p) => ({ source: str(p, 'source') ?? 'null', target: str(p, 'target') ?? '' }));
      node.inputs = mappings('inputParameters');
      node.outputs = mappings('outputParameters');
      if (el.$type === 'bpmn:StartEvent') {
        const initiator = list(extension(el, 'zeebe:Properties'), 'properties').find(
          (p) => str(p, 'name') === 'initiator',
        );
        const variable = str(initiator, 'value')?.trim();
        if (initiator && !/^[A-Za-z_][\w]*$/.test(variable ?? ''))
          problem(el, "The initiator property names the variable for the starter's id: a plain name");
        else if (variable) node.initiator = variable;
        // Where people may start it by hand (the client card, the deal, the employee page), and
        // the form they fill in first.
        const startFrom = list(extension(el, 'zeebe:Properties'), 'properties').find(
          (p) => str(p, 'name') === 'startFrom',
        );
        node.startFrom = (str(startFrom, 'value') ?? '')
          .split(',')
          .map((c) => c.trim())
          .filter(Boolean);
        const startForm = str(extension(el, 'zeebe:FormDefinition'), 'formId');
        if (startForm) node.formId = startForm;
      }
      for (const m of [...node.inputs, ...node.outputs]) {
        if (!m.target) problem(el, 'An io mapping has no target');
        checkFeel(el, m.source, `Mapping to "${m.target}"`);
      }
      // Vendor attributes are never read; one holding an expression (camunda:expression) would
      // silently not run, so it is named.
      const attrs = (el.$attrs ?? {}) as Record<string, unknown>;
      for (const [attr, value] of Object.entries(attrs))
        if (typeof value === 'string' && /\$\{/.test(value))
          problem(
            el,
            `The attribute ${attr}="${value}" is a JavaScript/JUEL expression; only FEEL is executed`,
          );
      // A conditional event's script is named even where the event itself is refused.
      for (const definition of list(el, 'eventDefinitions')) {
        if (definition.$type !== 'bpmn:ConditionalEventDefinition') continue;
        const condition = ref(definition, 'condition');
        const language = str(condition, 'language');
        const text = (str(condition, 'body') ?? '').trim();
        if ((language && !/feel/i.test(language)) || /\$\{/.test(text))
          problem(
            el,
            `The condition "${text}" is ${language ?? 'JavaScript/JUEL'}; only FEEL conditions are executed`,
          );
      }
      const loop = ref(el, 'loopCharacteristics');
      if (loop?.$type === 'bpmn:MultiInstanceLoopCharacteristics') {
        const zeebeLoop = extension(loop, 'zeebe:LoopCharacteristics');
        const inputCollection = str(zeebeLoop, 'inputCollection');
        const completion = str(ref(loop, 'completionCondition'), 'body')?.trim();
        if (!inputCollection)
          problem(el, 'A multi-instance activity needs zeebe:loopCharacteristics inputCollection (FEEL)');
        checkFeel(el, inputCollection, 'Input collection');
        checkFeel(el, str(zeebeLoop, 'outputElement'), 'Output element');
        if (completion) {
          if (/\$\{/.test(completion))
            problem(
              el,
              `The completion condition "${completion}" is a JavaScript/JUEL expression; only FEEL is executed`,
            );
          else
            checkFeel(el, completion.startsWith('=') ? completion : `=${completion}`, 'Completion condition');
        }
        node.multi = {
          sequential: loop.isSequential === true,
          inputCollection: inputCollection ?? '=[]',
          inputElement: str(zeebeLoop, 'inputElement') ?? null,
          outputCollection: str(zeebeLoop, 'outputCollection') ?? null,
          outputElement: str(zeebeLoop, 'outputElement') ?? null,
          completionCondition: completion || null,
        };
      } else if (loop) problem(el, 'Standard loops are not supported yet; use multi-instance');
      if (el.isForCompensation === true) problem(el, 'Compensation is not supported yet');
      const definitions = list(el, 'eventDefinitions');
      const definition = definitions[0];
      if (definitions.length > 1)
        problem(el, 'Multiple event definitions on one event are not supported yet');
      const unsupported = (what: string) => problem(el, `${what} is not supported yet`);
      // Service tasks, send tasks and message throw events run a module action, as Zeebe runs a job.
      const jobWorker = (el: ModdleElement, what: string) => {
        node.kind = 'serviceTask';
        const type = str(extension(el, 'zeebe:TaskDefinition'), 'type');
        if (!type) problem(el, `${what} needs zeebe:taskDefinition with the type of a module action`);
        else if (isExpression(type)) problem(el, 'A FEEL task type is not supported; name the action');
        else if (!hasAction(type)) problem(el, `The task type "${type}" names no registered action`);
        node.taskType = type;
      };

      switch (el.$type) {
        case 'bpmn:StartEvent':
          node.kind = 'startEvent';
          if (eventSub) {
            starts.push(id);
            compileEventSubStart(node, el, definition, problem, checkFeel, signalOf, escalationOf);
          } else if (!definition) starts.push(id);
          else if (scope !== null) problem(el, 'An embedded sub-process starts with a none start event only');
          else if (compileEventStart(node, el, definition, problem, checkFeel, signalOf))
            eventStarts.push(id);
          break;
        case 'bpmn:EndEvent':
          if (!definition) node.kind = 'endEvent';
          else if (definition.$type === 'bpmn:TerminateEventDefinition') node.kind = 'terminateEndEvent';
          else if (definition.$type === 'bpmn:SignalEventDefinition') {
            node.kind = 'signalThrow';
            node.signal = signalOf(el, definition);
          } else if (definition.$type === 'bpmn:ErrorEventDefinition') {
            node.kind = 'errorEnd';
            node.errorCode = str(ref(definition, 'errorRef'), 'errorCode') ?? null;
            if (!node.errorCode) problem(el, 'An error end event needs an error with an errorCode');
          } else if (definition.$type === 'bpmn:MessageEventDefinition') {
            jobWorker(el, 'A message end event');
          } else if (definition.$type === 'bpmn:EscalationEventDefinition') {
            node.kind = 'escalationEnd';
            node.escalationCode = escalationOf(definition);
            if (!node.escalationCode)
              problem(el, 'An escalation event needs an escalation with an escalationCode');
          } else unsupported(`An end event with ${definition.$type}`);
          break;
        case 'bpmn:ExclusiveGateway':
          node.kind = 'exclusiveGateway';
          break;
        case 'bpmn:EventBasedGateway':
          node.kind = 'eventBasedGateway';
          break;
        case 'bpmn:ParallelGateway':
          node.kind = 'parallelGateway';
          break;
        case 'bpmn:InclusiveGateway':
          node.kind = 'inclusiveGateway';
          break;
        case 'bpmn:Task':
        case 'bpmn:ManualTask':
          node.kind = 'task';
          break;
        case 'bpmn:ServiceTask':
        case 'bpmn:SendTask':
          jobWorker(el, el.$type === 'bpmn:SendTask' ? 'A send task' : 'A service task');
          break;
        case 'bpmn:BusinessRuleTask':
          // Zeebe runs a business rule task either as a job (a task type, like a service task)
          // or as a DMN decision; the suite has no DMN engine, so only the first.
          if (extension(el, 'zeebe:CalledDecision'))
            problem(
              el,
              'A business rule task that calls a DMN decision is not supported (no DMN engine); give it a zeebe:taskDefinition naming an action',
            );
          else jobWorker(el, 'A business rule task');
          break;
        case 'bpmn:ScriptTask': {
          node.kind = 'scriptTask';
          const script = extension(el, 'zeebe:Script');
          const expression = str(script, 'expression');
          const resultVariable = str(script, 'resultVariable');
          if (!expression || !resultVariable) {
            const format = str(el, 'scriptFormat');
            problem(
              el,
              format
                ? `A ${format} script is never executed; use a FEEL zeebe:script expression with a resultVariable`
                : 'A script task needs a zeebe:script expression and resultVariable (FEEL)',
            );
          } else {
            checkFeel(el, expression.startsWith('=') ? expression : `=${expression}`, 'Script');
            node.script = { expression, resultVariable };
          }
          break;
        }
        case 'bpmn:UserTask': {
          node.kind = 'userTask';
          const assignment = extension(el, 'zeebe:AssignmentDefinition');
          node.assignee = str(assignment, 'assignee');
          node.candidateGroups = str(assignment, 'candidateGroups');
          node.candidateUsers = str(assignment, 'candidateUsers');
          node.dueDate = str(extension(el, 'zeebe:TaskSchedule'), 'dueDate');
          node.subject = str(
            list(extension(el, 'zeebe:Properties'), 'properties').find((p) => str(p, 'name') === 'subject'),
            'value',
          );
          const form = extension(el, 'zeebe:FormDefinition');
          const formKey = str(form, 'formKey');
          node.formId = str(form, 'formId') ?? (formKey && embeddedFormId(processElement.id ?? '', formKey));
          for (const [what, value] of [
            ['Assignee', node.assignee],
            ['Candidate groups', node.candidateGroups],
            ['Candidate users', node.candidateUsers],
            ['Due date', node.dueDate],
            ['Subject', node.subject],
          ] as const)
            checkFeel(el, value, what);
          break;
        }
        case 'bpmn:ReceiveTask':
        case 'bpmn:IntermediateCatchEvent':
          if (el.$type === 'bpmn:ReceiveTask' || definition?.$type === 'bpmn:MessageEventDefinition') {
            node.kind = 'messageCatch';
            node.message = messageOf(el, el.$type === 'bpmn:ReceiveTask' ? el : definition);
          } else if (definition?.$type === 'bpmn:SignalEventDefinition') {
            node.kind = 'signalCatch';
            node.signal = signalOf(el, definition);
          } else if (definition?.$type === 'bpmn:TimerEventDefinition') {
            node.kind = 'timerCatch';
            node.timer = timerOf(el, definition, problem, checkFeel, false);
          } else if (definition?.$type === 'bpmn:LinkEventDefinition') {
            node.kind = 'linkCatch';
            node.link = linkOf(el, definition);
          } else unsupported(`An intermediate catch event with ${definition?.$type ?? 'no definition'}`);
          break;
        case 'bpmn:IntermediateThrowEvent':
          if (!definition) node.kind = 'task';
          else if (definition.$type === 'bpmn:SignalEventDefinition') {
            node.kind = 'signalThrow';
            node.signal = signalOf(el, definition);
          } else if (definition.$type === 'bpmn:LinkEventDefinition') {
            node.kind = 'linkThrow';
            node.link = linkOf(el, definition);
          } else if (definition.$type === 'bpmn:MessageEventDefinition') {
            jobWorker(el, 'A message throw event');
          } else if (definition.$type === 'bpmn:EscalationEventDefinition') {
            node.kind = 'escalationThrow';
            node.escalationCode = escalationOf(definition);
            if (!node.escalationCode)
              problem(el, 'An escalation event needs an escalation with an escalationCode');
          } else unsupported(`An intermediate throw event with ${definition.$type}`);
          break;
        case 'bpmn:BoundaryEvent': {
          node.attachedTo = ref(el, 'attachedToRef')?.id ?? null;
          const interrupting = el.cancelActivity !== false;
          node.interrupting = interrupting;
          if (definition?.$type === 'bpmn:TimerEventDefinition') {
            node.kind = 'timerBoundary';
            node.timer = timerOf(el, definition, problem, checkFeel, true);
          } else if (definition?.$type === 'bpmn:SignalEventDefinition') {
            node.kind = 'signalBoundary';
            node.signal = signalOf(el, definition);
          } else if (definition?.$type === 'bpmn:MessageEventDefinition') {
            node.kind = 'messageBoundary';
            node.message = messageOf(el, definition);
          } else if (definition?.$type === 'bpmn:ErrorEventDefinition') {
            node.kind = 'errorBoundary';
            node.errorCode = str(ref(definition, 'errorRef'), 'errorCode') ?? null;
          } else if (definition?.$type === 'bpmn:EscalationEventDefinition') {
            node.kind = 'escalationBoundary';
            node.escalationCode = escalationOf(definition);
          } else
            unsupported(
              `A ${interrupting ? '' : 'non-interrupting '}boundary event with ${definition?.$type ?? 'no definition'}`,
            );
          break;
        }
        case 'bpmn:CallActivity': {
          node.kind = 'callActivity';
          const called = extension(el, 'zeebe:CalledElement');
          const processId = str(called, 'processId');
          if (!processId) problem(el, 'A call activity needs zeebe:calledElement processId');
          checkFeel(el, processId, 'Called process id');
          node.called = {
            processId: processId ?? '',
            // Zeebe's defaults: both directions propagate everything unless told otherwise.
            propagateAllChildVariables: called?.propagateAllChildVariables !== false,
            propagateAllParentVariables: called?.propagateAllParentVariables !== false,
          };
          break;
        }
        case 'bpmn:SubProcess':
          node.kind = 'subProcess';
          if (el.triggeredByEvent === true) {
            node.kind = 'eventSubProcess';
            const childStarts = walk(el, id, true);
            if (childStarts.length !== 1) problem(el, 'An event sub-process needs exactly one start event');
            node.startId = childStarts[0];
            const key = scope ?? '';
            eventSubs[key] = [...(eventSubs[key] ?? []), id];
          } else {
            const childStarts = walk(el, id);
            if (childStarts.length !== 1)
              problem(el, 'An embedded sub-process needs exactly one none start event');
            node.startId = childStarts[0];
          }
          break;
        default:
          unsupported(`The element ${el.$type.replace('bpmn:', '')}`);
      }
      nodes[id] = node;
    }
    return starts;
  };

  const starts = walk(processElement, null);
  if (starts.length > 1 || starts.length + eventStarts.length === 0) {
    problems.push({
      elementId: processElement.id ?? null,
      elementType: processElement.$type,
      name: processElement.name ?? null,
      message:
        starts.length > 1
          ? `An executable process may have one none start event (it has ${starts.length})`
          : 'An executable process needs a start event',
    });
  } else processStart = starts[0] ?? null;

  // Incoming and outgoing come from the flows: some tools write no <incoming>/<outgoing>.
  for (const node of Object.values(nodes)) {
    node.incoming = [];
    node.outgoing = [];
  }
  for (const flow of Object.values(flows)) {
    const source = nodes[flow.source];
    const target = nodes[flow.target];
    if (!source || !target) {
      problems.push({
        elementId: flow.id,
        elementType: 'bpmn:SequenceFlow',
        name: null,
        message: 'The flow connects an element the engine does not know',
      });
      continue;
    }
    source.outgoing.push(flow.id);
    target.incoming.push(flow.id);
  }
  for (const node of Object.values(nodes)) {
    if (node.kind === 'linkThrow') {
      const catches = Object.values(nodes).filter(
        (n) => n.kind === 'linkCatch' && n.scope === node.scope && n.link === node.link,
      );
      if (catches.length !== 1)
        problems.push({
          elementId: node.id,
          elementType: node.type,
          name: node.name,
          message:
            catches.length === 0
              ? `No link catch event named "${node.link}" in the same scope`
              : `${catches.length} link catch events are named "${node.link}" in the same scope`,
        });
      node.linkTarget = catches[0]?.id;
    }
    if (node.attachedTo) nodes[node.attachedTo]?.boundaries.push(node.id);
    const outgoing = node.outgoing.map((f) => flows[f]).filter((f): f is Flow => Boolean(f));
    const el = { id: node.id, $type: node.type, name: node.name ?? undefined } as ModdleElement;
    if (node.kind === 'eventBasedGateway')
      for (const flow of outgoing) {
        const target = nodes[flow.target];
        if (
          !target ||
          !['timerCatch', 'messageCatch', 'signalCatch'].includes(target.kind) ||
          target.type === 'bpmn:ReceiveTask'
        )
          problem(
            el,
            `An event-based gateway may lead only to timer, message and signal catch events ("${flow.target}" is not one)`,
          );
        else if (target.incoming.length > 1)
          problem(
            el,
            `The catch event "${flow.target}" after an event-based gateway must have no other incoming flow`,
          );
      }
    if (node.kind === 'exclusiveGateway' || node.kind === 'inclusiveGateway') {
      if (outgoing.length > 1)
        for (const flow of outgoing)
          if (flow.id !== node.defaultFlow && !flow.condition)
            problems.push({
              elementId: flow.id,
              elementType: 'bpmn:SequenceFlow',
              name: null,
              message: `A flow out of gateway "${node.id}" that is not its default needs a condition`,
            });
    } else if (outgoing.some((f) => f.condition)) {
      problem(el, 'Conditional flows out of an activity or event are not supported yet; use a gateway');
    }
  }
  return {
    process: {
      id: processElement.id ?? '',
      name: processElement.name ?? null,
      names: localizedNames(processElement),
      nodes,
      flows,
      startId: processStart ?? '',
      eventStarts,
      eventSubs,
    },
    problems,
  };
}

type Report = (el: ModdleElement, message: string) => void;
type CheckFeel = (el: ModdleElement, expression: string | undefined, what: string) => void;

/** A process-level timer, message or signal start event; answers whether it is one the engine runs. */
function compileEventStart(
  node: Node,
  el: ModdleElement,
  definition: ModdleElement,
  problem: Report,
  checkFeel: CheckFeel,
  signalOf: (el: ModdleElement, definition: ModdleElement) => string,
): boolean {
  switch (definition.$type) {
    case 'bpmn:TimerEventDefinition':
      node.timer = timerOf(el, definition, problem, checkFeel, true);
      return true;
    case 'bpmn:SignalEventDefinition':
      node.signal = signalOf(el, definition);
      return true;
    case 'bpmn:MessageEventDefinition': {
      const name = ref(definition, 'messageRef')?.name;
      if (!name) problem(el, 'A message start event needs a message with a name');
      node.message = { name: name ?? '', correlationKey: '' };
      const condition = list(extension(el, 'zeebe:Properties'), 'properties').find(
        (p) => str(p, 'name') === 'condition',
      );
      const value = str(condition, 'value')?.trim();
      if (condition && !value?.startsWith('='))
        problem(el, 'The start condition must be a FEEL expression starting with "="');
      else if (value) {
        checkFeel(el, value, 'Start condition');
        node.condition = value;
      }
      return true;
    }
    default:
      problem(el, `A start event with ${definition.$type} is not supported yet`);
      return false;
  }
}

/** The start event of an event sub-process: its trigger, and whether it interrupts its scope. */
function compileEventSubStart(
  node: Node,
  el: ModdleElement,
  definition: ModdleElement | undefined,
  problem: Report,
  checkFeel: CheckFeel,
  signalOf: (el: ModdleElement, definition: ModdleElement) => string,
  escalationOf: (definition: ModdleElement) => string | null,
): void {
  node.interrupting = el.isInterrupting !== false;
  switch (definition?.$type) {
    case 'bpmn:TimerEventDefinition':
      node.eventSubStart = 'timer';
      node.timer = timerOf(el, definition, problem, checkFeel, true);
      return;
    case 'bpmn:SignalEventDefinition':
      node.eventSubStart = 'signal';
      node.signal = signalOf(el, definition);
      return;
    case 'bpmn:MessageEventDefinition': {
      node.eventSubStart = 'message';
      const message = ref(definition, 'messageRef');
      const key = message ? str(extension(message, 'zeebe:Subscription'), 'correlationKey') : undefined;
      if (!message?.name) problem(el, 'A message catch needs a message with a name');
      if (!key) problem(el, 'A message catch needs zeebe:subscription correlationKey');
      checkFeel(el, key, 'Correlation key');
      node.message = { name: message?.name ?? '', correlationKey: key ?? '' };
      return;
    }
    case 'bpmn:ErrorEventDefinition':
      node.eventSubStart = 'error';
      node.errorCode = str(ref(definition, 'errorRef'), 'errorCode') ?? null;
      if (!node.interrupting)
        problem(el, 'An error start event always interrupts (isInterrupting="false" is not allowed)');
      return;
    case 'bpmn:EscalationEventDefinition':
      node.eventSubStart = 'escalation';
      node.escalationCode = escalationOf(definition);
      return;
    default:
      problem(
        el,
        `An event sub-process start event with ${definition?.$type ?? 'no definition'} is not supported`,
      );
  }
}

function timerOf(
  el: ModdleElement,
  definition: ModdleElement,
  problem: Report,
  checkFeel: CheckFeel,
  cycles: boolean,
): Node['timer'] {
  const body = (key: string) => str(ref(definition, key), 'body')?.trim();
  const duration = body('timeDuration');
  const date = body('timeDate');
  const cycle = body('timeCycle');
  let timer: TimerDefinition | undefined;
  if (cycle !== undefined) {
    if (!cycles) problem(el, 'A timer cycle is allowed on start and boundary events only');
    else timer = { kind: 'cycle', value: cycle };
  } else if (duration) timer = { kind: 'duration', value: duration };
  else if (date) timer = { kind: 'date', value: date };
  else
    problem(
      el,
      cycles ? 'A timer needs a date, a duration or a cycle' : 'A timer needs a duration or a date',
    );
  if (!timer) return undefined;
  if (isExpression(timer.value)) checkFeel(el, timer.value, `Timer ${timer.kind}`);
  else {
    const wrong = timerValueProblem(timer);
    if (wrong) problem(el, wrong);
  }
  return timer;
}
