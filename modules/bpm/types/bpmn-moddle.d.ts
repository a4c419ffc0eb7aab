// The part of bpmn-moddle 10 the engine uses: the package ships types for the model elements but
// none for the BpmnModdle class itself.
declare module 'bpmn-moddle' {
  export type ModdleElement = {
    $type: string;
    $instanceOf(type: string): boolean;
    id?: string;
    name?: string;
    [key: string]: unknown;
  };
  export type ParseWarning = { message: string; element?: unknown; property?: unknown };
  export type ParseResult = {
    rootElement: ModdleElement;
    elementsById: Record<string, ModdleElement>;
    warnings: ParseWarning[];
  };
  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<ParseResult>;
    toXML(element: unknown, options?: { format?: boolean }): Promise<{ xml: string }>;
  }
}
