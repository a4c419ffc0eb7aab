// form-js's viewer, loaded only when a task with a form is opened (it is ~480 KB with its styles).
import '@bpmn-io/form-js/dist/assets/form-js.css';
import { Form } from '@bpmn-io/form-js';
import type { FormComponent, FormSchema, Variables } from './api';

export type Translate = (message: string) => string;

type Validator = { validateFieldInstance(instance: unknown, value: unknown): string[] };

/** A didi module that passes every validation message of the form through `translate`. */
function translatedValidation(translate: Translate) {
  function patch(validator: Validator) {
    const original = validator.validateFieldInstance.bind(validator);
    validator.validateFieldInstance = (instance, value) => original(instance, value).map(translate);
  }
  patch.$inject = ['validator'];
  return { __init__: ['translatedValidation'], translatedValidation: ['type', patch] };
}

/** A rendered form: read its data (validated), mark fields as wrong, or take it away. */
export type FormView = {
  submit(): { data: Variables; valid: boolean };
  /** Shows server messages under the fields with these keys; answers the keys it has no field for. */
  showErrors(byKey: Record<string, string>): string[];
  setReadOnly(readOnly: boolean): void;
  destroy(): void;
};

function findByKey(components: FormComponent[] | undefined, key: string): FormComponent | undefined {
  for (const component of components ?? []) {
    if (component.key === key) return component;
    const inner = findByKey(component.components, key);
    if (inner) return inner;
  }
  return undefined;
}

export async function renderForm(
  container: HTMLElement,
  schema: FormSchema,
  data: Variables,
  options: { readOnly: boolean; translate: Translate },
): Promise<FormView> {
  const settings = {
    container,
    additionalModules: [translatedValidation(options.translate)],
    properties: { readOnly: options.readOnly },
    // form-js waits 300 ms after a keystroke before it takes the value: typing and clicking
    // Complete at once would submit what was there before.
    debounce: false,
  };
  const form = new Form(settings);
  await form.importSchema(schema, data);
  return {
    submit() {
      const { data: values, errors } = form.submit();
      return { data: values, valid: Object.keys(errors).length === 0 };
    },
    showErrors(byKey) {
      const state = form._getState();
      const errors: Record<string, string[]> = { ...state.errors };
      const unknown: string[] = [];
      for (const [key, message] of Object.entries(byKey)) {
        const field = findByKey((state.schema as FormSchema).components, key);
        if (field?.id) errors[field.id] = [message];
        else unknown.push(key);
      }
      form._setState({ errors });
      return unknown;
    },
    setReadOnly(readOnly) {
      form.setProperty('readOnly', readOnly);
    },
    destroy() {
      form.destroy();
    },
  };
}
