// bpmn-auto-layout ships no types: it takes BPMN XML without a diagram and returns it with one.
declare module 'bpmn-auto-layout' {
  export function layoutProcess(xml: string): Promise<string>;
}
