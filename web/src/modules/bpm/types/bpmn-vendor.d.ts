// Declarations for the bpmn.io packages that ship without types: each is a didi module for bpmn-js.
type DidiModule = import('didi').ModuleDeclaration;

declare module 'bpmn-js-properties-panel' {
  export const BpmnPropertiesPanelModule: DidiModule;
  export const BpmnPropertiesProviderModule: DidiModule;
  export const ZeebePropertiesProviderModule: DidiModule;
}

declare module 'camunda-bpmn-js-behaviors/lib/camunda-cloud' {
  const ZeebeBehaviorsModule: DidiModule;
  export default ZeebeBehaviorsModule;
}
