// form-js's editor, loaded only when an admin edits a user task's form.
import '@bpmn-io/form-js/dist/assets/form-js.css';
import '@bpmn-io/form-js/dist/assets/form-js-editor.css';
import '@bpmn-io/form-js/dist/assets/properties-panel.css';
import { FormEditor } from '@bpmn-io/form-js';
import type { FormSchema } from './api';

export type FormEditorHandle = { save(): FormSchema; destroy(): void };

export async function openFormEditor(container: HTMLElement, schema: FormSchema): Promise<FormEditorHandle> {
  const editor = new FormEditor({ container });
  await editor.importSchema(schema);
  return {
    save: () => editor.saveSchema() as FormSchema,
    destroy: () => editor.destroy(),
  };
}
