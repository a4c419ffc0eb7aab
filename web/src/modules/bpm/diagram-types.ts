// The few bpmn-js services our pages use, typed as far as we use them.
export type BusinessObject = {
  id: string;
  name?: string;
  $type: string;
  $parent?: BusinessObject;
  extensionElements?: ExtensionElements;
  [property: string]: unknown;
};

export type ExtensionElements = BusinessObject & { values: BusinessObject[] };

export type DiagramElement = { id: string; type: string; businessObject: BusinessObject };

export type Canvas = {
  addMarker(element: DiagramElement | string, marker: string): void;
  removeMarker(element: DiagramElement | string, marker: string): void;
  zoom(level: 'fit-viewport' | number, center?: 'auto'): number;
  scrollToElement(element: DiagramElement | string): void;
};

export type ElementRegistry = {
  get(id: string): DiagramElement | undefined;
  filter(fn: (element: DiagramElement) => boolean): DiagramElement[];
};

export type Overlays = {
  add(
    element: DiagramElement | string,
    type: string,
    overlay: { position: Record<string, number>; html: HTMLElement },
  ): string;
  remove(filter: { type?: string; element?: DiagramElement | string }): void;
};

export type EventBus = {
  on<E>(event: string, callback: (event: E) => void): void;
  off(event: string, callback?: (event: never) => void): void;
};

export type Modeling = {
  updateProperties(element: DiagramElement, properties: Record<string, unknown>): void;
  updateModdleProperties(
    element: DiagramElement,
    target: BusinessObject,
    properties: Record<string, unknown>,
  ): void;
};

export type Moddle = { create(type: string, properties?: Record<string, unknown>): BusinessObject };

export type Selection = { select(element: DiagramElement | DiagramElement[] | null): void };

/** What the services are called in the bpmn-js injector. */
export type Services = {
  canvas: Canvas;
  elementRegistry: ElementRegistry;
  overlays: Overlays;
  eventBus: EventBus;
  modeling: Modeling;
  moddle: Moddle;
  selection: Selection;
};
