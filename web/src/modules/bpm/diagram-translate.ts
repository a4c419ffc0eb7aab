// bpmn-js, its palette and the properties panel speak English; this `translate` service gives them
// our catalogue's words (keys "bpm.bpmnjs.<English text>") and keeps English for the rest.
import { hasKey, t } from '../../i18n/i18n';

function translate(template: string, replacements?: Record<string, string>): string {
  const key = `bpm.bpmnjs.${template}`;
  const text = hasKey(key) ? t(key) : template;
  return text.replace(/\{([^}]+)\}/g, (whole, name: string) => replacements?.[name] ?? whole);
}

/** A didi module replacing bpmn-js's translate service. */
export const TranslateModule = { translate: ['value', translate] };
