// bpmn-js's modeler with the properties panel and Camunda 8 (Zeebe) behaviours, loaded only by the
// modeler page. Everything the page asks of the diagram goes through the handle made here.
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import type { Problem } from './api';
import { markProblems } from './diagram-marks';
import { TranslateModule } from './diagram-translate';
import type { BusinessObject, DiagramElement, ExtensionElements, Services } from './diagram-types';

export type SelectedElement = {
  id: string;
  type: string;
  name: string;
  /** A service task's zeebe:taskDefinition type: the module action it runs. */
  taskType: string | null;
  /** A user task's zeebe:formDefinition formId. */
  formId: string | null;
};

export type ModelerHandle = {
  open(xml: string): Promise<void>;
  save(): Promise<string>;
  /** The process's id and name, as the diagram has them now. */
  process(): { id: string; name: string };
  onSelect(callback: (element: SelectedElement | null) => void): void;
  onChange(callback: () => void): void;
  setTaskType(elementId: string, type: string): void;
  setFormId(elementId: string, formId: string): void;
  showProblems(problems: Problem[], title: (problem: Problem) => string): void;
  select(elementId: string): void;
  destroy(): void;
};

function extension(bo: BusinessObject, type: string): BusinessObject | undefined {
  return bo.extensionElements?.values.find((value) => value.$type === type);
}

function describe(element: DiagramElement): SelectedElement {
  const bo = element.businessObject;
  const taskType = extension(bo, 'zeebe:TaskDefinition')?.type;
  const formId = extension(bo, 'zeebe:FormDefinition')?.formId;
  return {
    id: element.id,
    type: element.type,
    name: bo.name ?? '',
    taskType: typeof taskType === 'string' ? taskType : null,
    formId: typeof formId === 'string' ? formId : null,
  };
}

/** Makes the modeler; bpmn-js, the panel and the behaviours arrive as separate chunks, in parallel. */
export async function createModeler(canvas: HTMLElement, panel: HTMLElement): Promise<ModelerHandle> {
  const [{ default: Modeler }, panelModules, { default: ZeebeBehaviorsModule }, { default: zeebe }] =
    await Promise.all([
      import('bpmn-js/lib/Modeler'),
      import('bpmn-js-properties-panel'),
      import('camunda-bpmn-js-behaviors/lib/camunda-cloud'),
      import('zeebe-bpmn-moddle/resources/zeebe.json'),
    ]);
  const { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, ZeebePropertiesProviderModule } =
    panelModules;
  const modeler = new Modeler({
    container: canvas,
    propertiesPanel: { parent: panel },
    additionalModules: [
      BpmnPropertiesPanelModule,
      BpmnPropertiesProviderModule,
      ZeebePropertiesProviderModule,
      ZeebeBehaviorsModule,
      TranslateModule,
    ],
    moddleExtensions: { zeebe },
  });
  const get = <K extends keyof Services>(name: K): Services[K] => modeler.get<Services[K]>(name);

  /** Sets one property of a Zeebe extension element, creating the element (and the list) when missing. */
  const setExtension = (elementId: string, type: string, properties: Record<string, unknown>) => {
    const element = get('elementRegistry').get(elementId);
    if (!element) return;
    const bo = element.businessObject;
    const moddle = get('moddle');
    const modeling = get('modeling');
    let list = bo.extensionElements;
    if (!list) {
      list = moddle.create('bpmn:ExtensionElements', { values: [] }) as ExtensionElements;
      list.$parent = bo;
      modeling.updateProperties(element, { extensionElements: list });
    }
    const existing = extension(bo, type);
    if (existing) {
      modeling.updateModdleProperties(element, existing, properties);
      return;
    }
    const created = moddle.create(type, properties);
    created.$parent = list;
    modeling.updateModdleProperties(element, list, { values: [...list.values, created] });
  };

  return {
    async open(xml) {
      await modeler.importXML(xml);
      get('canvas').zoom('fit-viewport', 'auto');
    },
    async save() {
      const { xml } = await modeler.saveXML({ format: true });
      return xml ?? '';
    },
    process() {
      const root = get('elementRegistry').filter((element) => element.type === 'bpmn:Process')[0];
      const bo = root?.businessObject;
      return { id: bo?.id ?? '', name: bo?.name ?? '' };
    },
    onSelect(callback) {
      const eventBus = get('eventBus');
      eventBus.on<{ newSelection: DiagramElement[] }>('selection.changed', ({ newSelection }) => {
        const first = newSelection.length === 1 ? newSelection[0] : undefined;
        callback(first ? describe(first) : null);
      });
      // A change made in the properties panel (a renamed task, a new type) shows at once.
      eventBus.on<{ elements: DiagramElement[] }>('elements.changed', ({ elements }) => {
        const selected = modeler.get<{ get(): DiagramElement[] }>('selection').get();
        const first = selected.length === 1 ? selected[0] : undefined;
        if (first && elements.some((element) => element.id === first.id)) callback(describe(first));
      });
    },
    onChange(callback) {
      get('eventBus').on('commandStack.changed', callback);
    },
    setTaskType(elementId, type) {
      setExtension(elementId, 'zeebe:TaskDefinition', { type });
    },
    setFormId(elementId, formId) {
      setExtension(elementId, 'zeebe:FormDefinition', { formId });
    },
    showProblems(problems, title) {
      markProblems(get('canvas'), get('overlays'), get('elementRegistry'), problems, title);
    },
    select(elementId) {
      const element = get('elementRegistry').get(elementId);
      if (!element) return;
      get('selection').select(element);
      get('canvas').scrollToElement(element);
    },
    destroy() {
      modeler.destroy();
    },
  };
}
