// A task's form, drawn by form-js (loaded on first use) and filled with the task's variables.
import { type CSSProperties, type RefObject, useEffect, useRef, useState } from 'react';
import { Spinner } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import type { FormSchema, Variables } from './api';
import { translateFormMessage } from './form-validation';
import type { FormView } from './form-viewer';
import { localizeForm } from './localize-form';

type Props = {
  schema: FormSchema;
  data: Variables;
  readOnly: boolean;
  /** Set once the form is drawn, so that the page can read and mark it. */
  view: RefObject<FormView | null>;
  onError(error: unknown): void;
};

/** What form-js writes in a searchable select's input, in English only. */
const FORM_JS_SEARCH = 'Search';

export function TaskForm({ schema, data, readOnly, view, onError }: Props) {
  const i18n = useI18n();
  const locale = i18n.locale;
  const container = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);
  const readOnlyRef = useRef(readOnly);
  readOnlyRef.current = readOnly;
  const i18nRef = useRef(i18n);
  i18nRef.current = i18n;
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;

  useEffect(() => {
    let cancelled = false;
    let drawn: FormView | null = null;
    setReady(false);
    import('./form-viewer')
      .then(({ renderForm }) => {
        if (cancelled || !container.current) return;
        return renderForm(container.current, localizeForm(schema, locale), data, {
          readOnly: readOnlyRef.current,
          translate: (message) => translateFormMessage(message, i18nRef.current.t),
        }).then((form) => {
          if (cancelled) return form.destroy();
          drawn = form;
          view.current = form;
          setReady(true);
        });
      })
      .catch((error: unknown) => {
        if (!cancelled) onErrorRef.current(error);
      });
    return () => {
      cancelled = true;
      drawn?.destroy();
      view.current = null;
    };
    // A new language draws the form again in it.
  }, [schema, data, view, locale]);

  useEffect(() => {
    view.current?.setReadOnly(readOnly);
  }, [readOnly, view]);

  // form-js's searchable selects and tag lists say "Search" in English whatever the language;
  // their inputs keep a placeholder set once (form-js never sets it again), so it is set here.
  useEffect(() => {
    const root = container.current;
    if (!root) return;
    const text = i18n.t('bpm.form.search');
    const translate = () => {
      for (const input of root.querySelectorAll<HTMLInputElement>('input[placeholder]'))
        if (input.getAttribute('placeholder') === FORM_JS_SEARCH) input.placeholder = text;
    };
    translate();
    const observer = new MutationObserver(translate);
    observer.observe(root, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [i18n]);

  return (
    <div
      className="bpm-form"
      data-testid="task-form"
      data-ready={ready || undefined}
      // form-js writes an English "Select" in an empty select (bpm.css shows this instead).
      style={{ '--fjs-select-placeholder': JSON.stringify(i18n.t('bpm.form.choose')) } as CSSProperties}
    >
      {ready ? null : <Spinner label={i18n.t('bpm.task.formLoading')} />}
      <div ref={container} />
    </div>
  );
}
