// bpmn-js's navigated viewer for the instance monitor (loaded only there): the diagram with the
// instance's marks.
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import { type ElementCounts, markProgress } from './diagram-marks';
import type { Services } from './diagram-types';

export type ViewerHandle = {
  open(xml: string): Promise<void>;
  mark(marks: { active: string[]; incidents: string[]; counts: ElementCounts[] }): void;
  destroy(): void;
};

export async function createViewer(container: HTMLElement): Promise<ViewerHandle> {
  const { default: NavigatedViewer } = await import('bpmn-js/lib/NavigatedViewer');
  const viewer = new NavigatedViewer({ container });
  const get = <K extends keyof Services>(name: K): Services[K] => viewer.get<Services[K]>(name);
  return {
    async open(xml) {
      await viewer.importXML(xml);
      get('canvas').zoom('fit-viewport', 'auto');
    },
    mark(marks) {
      markProgress(get('canvas'), get('overlays'), get('elementRegistry'), marks);
    },
    destroy() {
      viewer.destroy();
    },
  };
}
