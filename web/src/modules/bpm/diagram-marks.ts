// Marks on a bpmn-js diagram: problems on the elements a deployment refused, and the monitor's
// active elements, incidents and counts.
import type { Problem } from './api';
import type { Canvas, ElementRegistry, Overlays } from './diagram-types';

const PROBLEM_MARKER = 'bpm-problem';
const PROBLEM_OVERLAY = 'bpm-problem';

function badge(className: string, text: string, title?: string): HTMLElement {
  const element = document.createElement('div');
  element.className = className;
  element.textContent = text;
  if (title) element.title = title;
  return element;
}

/** Marks each element a problem names (red outline, a badge with the messages); clears the old marks. */
export function markProblems(
  canvas: Canvas,
  overlays: Overlays,
  registry: ElementRegistry,
  problems: Problem[],
  title: (problem: Problem) => string,
): void {
  overlays.remove({ type: PROBLEM_OVERLAY });
  for (const element of registry.filter(() => true)) canvas.removeMarker(element, PROBLEM_MARKER);
  const byElement = new Map<string, Problem[]>();
  for (const problem of problems) {
    if (!problem.elementId || !registry.get(problem.elementId)) continue;
    byElement.set(problem.elementId, [...(byElement.get(problem.elementId) ?? []), problem]);
  }
  for (const [elementId, list] of byElement) {
    canvas.addMarker(elementId, PROBLEM_MARKER);
    const html = badge('bpm-problem-badge', String(list.length), list.map(title).join('\n'));
    html.dataset.testid = `problem-badge-${elementId}`;
    overlays.add(elementId, PROBLEM_OVERLAY, { position: { top: -12, right: 12 }, html });
  }
}

export type ElementCounts = { elementId: string; active: number; incidents: number; completed: number };

/** The monitor's marks: where tokens wait, where incidents are, and how many instances passed. */
// Counts sit on the top corners: an event's or a gateway's name is written below it.
export function markProgress(
  canvas: Canvas,
  overlays: Overlays,
  registry: ElementRegistry,
  marks: { active: string[]; incidents: string[]; counts: ElementCounts[] },
): void {
  for (const id of marks.active) if (registry.get(id)) canvas.addMarker(id, 'bpm-active');
  for (const id of marks.incidents) if (registry.get(id)) canvas.addMarker(id, 'bpm-incident');
  for (const count of marks.counts) {
    if (!registry.get(count.elementId)) continue;
    if (count.active > 0) {
      const html = badge('bpm-count bpm-count-active', String(count.active));
      html.dataset.testid = `count-active-${count.elementId}`;
      overlays.add(count.elementId, 'bpm-count', { position: { top: -11, left: -11 }, html });
    }
    if (count.incidents > 0)
      overlays.add(count.elementId, 'bpm-count', {
        position: { top: -11, right: 11 },
        html: badge('bpm-count bpm-count-incident', String(count.incidents)),
      });
  }
}
