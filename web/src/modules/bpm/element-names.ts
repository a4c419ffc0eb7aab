// The names of a model's elements by id, read from its XML: the history needs them even when the
// model has no drawing to show.
const BPMN_MODEL = 'http://www.omg.org/spec/BPMN/20100524/MODEL';

export function elementNames(xml: string): Record<string, string> {
  const names: Record<string, string> = {};
  const document = new DOMParser().parseFromString(xml, 'application/xml');
  for (const element of Array.from(document.getElementsByTagNameNS(BPMN_MODEL, '*'))) {
    const id = element.getAttribute('id');
    const name = element.getAttribute('name');
    if (id && name) names[id] = name.trim();
  }
  return names;
}
