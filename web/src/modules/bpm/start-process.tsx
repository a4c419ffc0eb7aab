// "Start a process" where the work is: on the client card, the deal and the employee page, the
// processes that may start there; nothing at all when none may.
import { useEffect, useId, useRef, useState } from 'react';
import { errorMessage } from '../../app/errors';
import { navigate } from '../../app/router';
import { useSession } from '../../app/session';
import { Button, useNotify } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import {
  type Definition,
  type StartContext,
  startableDefinitions,
  startInstance,
  tasksOfInstance,
  type Variables,
} from './api';
import { INBOX_PATH, refreshInboxCount } from './inbox-count';
import { StartFormDialog } from './start-form-dialog';
import './start-process.css';

type Props = {
  context: StartContext;
  /** The page's record as the process receives it: `employeeId`, `clientId`, `dealId`. */
  variables?: Variables;
  /**
   * For a page whose record is still being typed (a write-off): checks it when a process is
   * chosen and answers what to start with, or null when the page showed what to fix. It replaces
   * `variables`.
   */
  prepare?: () => Variables | null;
  /** Awaited once the process has started, before its first step opens: the page cleans up. */
  onStarted?: (instanceId: string) => Promise<void> | void;
  /** The button's text, when "Start “name”" does not say what it does on that page. */
  label?: string;
};

export function StartProcess({ context, variables, prepare, onStarted, label }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const { can } = useSession();
  const notify = useNotify();
  const allowed = can('bpm.definitions.read') && can('bpm.instances.start');
  const [definitions, setDefinitions] = useState<Definition[]>([]);
  const [menuOpen, setMenuOpen] = useState(false);
  const [chosen, setChosen] = useState<{ definition: Definition; variables: Variables } | null>(null);
  const [busy, setBusy] = useState(false);
  // The button is disabled once `busy` renders; this also stops a second click of the same frame.
  const inFlight = useRef(false);
  const menuId = useId();
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!allowed) return;
    const controller = new AbortController();
    startableDefinitions(context, controller.signal)
      .then(setDefinitions)
      // The menu is an extra on a page about something else: when it cannot load, it is not shown.
      .catch(() => setDefinitions([]));
    return () => controller.abort();
  }, [allowed, context]);

  useEffect(() => {
    if (!menuOpen) return;
    const close = (event: Event) => {
      if (
        event instanceof KeyboardEvent ? event.key === 'Escape' : !box.current?.contains(event.target as Node)
      )
        setMenuOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [menuOpen]);

  if (!allowed || definitions.length === 0) return null;
  const nameOf = (definition: Definition) => definition.name ?? definition.processId;

  /** Starts it; then its first step opens when it is the starter's, as the inbox's guided flow does. */
  const start = async (definition: Definition, base: Variables, data: Variables): Promise<void> => {
    const instance = await startInstance(definition.processId, { ...base, ...data });
    void refreshInboxCount();
    if (onStarted) {
      // The process runs whatever the page's cleanup does: a failure there is said, not thrown.
      try {
        await onStarted(instance.id);
      } catch (error) {
        notify('error', errorMessage(error, i18n));
      }
    }
    const first = (await tasksOfInstance(instance.id).catch(() => []))[0];
    if (first) {
      notify(
        'success',
        t('bpm.start.firstStep', { name: nameOf(definition), step: first.name ?? first.elementId }),
      );
      navigate(`${INBOX_PATH}/${encodeURIComponent(first.id)}`);
    } else notify('success', t('bpm.start.started', { name: nameOf(definition) }));
  };

  const choose = (definition: Definition) => {
    setMenuOpen(false);
    if (inFlight.current) return;
    const base = prepare ? prepare() : (variables ?? {});
    if (!base) return;
    if (definition.startFormId) {
      setChosen({ definition, variables: base });
      return;
    }
    inFlight.current = true;
    setBusy(true);
    start(definition, base, {})
      .catch((error: unknown) => notify('error', errorMessage(error, i18n)))
      .finally(() => {
        inFlight.current = false;
        setBusy(false);
      });
  };

  const only = definitions.length === 1 ? definitions[0] : undefined;
  return (
    <div className="bpm-start" ref={box} data-testid="start-process">
      {only ? (
        <Button icon="plus" busy={busy} onClick={() => choose(only)} data-testid="start-process-button">
          {label ?? t('bpm.start.one', { name: nameOf(only) })}
        </Button>
      ) : (
        <>
          <Button
            icon="menu"
            busy={busy}
            aria-expanded={menuOpen}
            aria-controls={menuId}
            onClick={() => setMenuOpen((open) => !open)}
            data-testid="start-process-button"
          >
            {label ?? t('bpm.start.menu')}
          </Button>
          {menuOpen ? (
            <ul className="bpm-start-menu" id={menuId} aria-label={t('bpm.start.menuLabel')}>
              {definitions.map((definition) => (
                <li key={definition.processId}>
                  <button
                    type="button"
                    className="bpm-start-item"
                    onClick={() => choose(definition)}
                    data-testid="start-process-item"
                  >
                    {nameOf(definition)}
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </>
      )}
      {chosen?.definition.startFormId ? (
        <StartFormDialog
          title={t('bpm.start.one', { name: nameOf(chosen.definition) })}
          formId={chosen.definition.startFormId}
          data={chosen.variables}
          onStart={(data) => start(chosen.definition, chosen.variables, data)}
          onClose={() => setChosen(null)}
        />
      ) : null}
    </div>
  );
}
