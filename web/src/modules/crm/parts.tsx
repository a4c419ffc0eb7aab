// Pieces the CRM pages share: selects, badges, the regions and owners lists, a search picker
// and a modal dialog.
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { api, type Page } from '../../app/api';
import { useSession } from '../../app/session';
import type { User } from '../../app/types';
import { Button, Field } from '../../app/ui';
import { useDebounced } from '../../app/use-debounced';
import { useI18n } from '../../i18n/i18n';
import {
  type ActivityType,
  type ClientStatus,
  getPipelines,
  getRegions,
  type Pipeline,
  type Region,
  type Stage,
} from './api';

export type Option = { value: string; label: string };

type SelectFieldProps = {
  label: string;
  name: string;
  value: string;
  onChange(value: string): void;
  options: Option[];
  /** The text of the empty choice; without it there is none. */
  empty?: string;
  error?: string | undefined;
  hint?: string;
  disabled?: boolean;
  testId?: string;
};

export function SelectField({
  label,
  name,
  value,
  onChange,
  options,
  empty,
  error,
  hint,
  disabled,
  testId,
}: SelectFieldProps) {
  return (
    <Field label={label} name={name} error={error} hint={hint ?? ''}>
      {(control) => (
        <select
          className="input"
          name={name}
          value={value}
          disabled={disabled}
          onChange={(event) => onChange(event.target.value)}
          data-testid={testId}
          {...control}
        >
          {empty !== undefined ? <option value="">{empty}</option> : null}
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A select in a toolbar, labelled for screen readers only. */
export function FilterSelect({
  label,
  value,
  onChange,
  options,
  all,
  testId,
}: {
  label: string;
  value: string;
  onChange(value: string): void;
  options: Option[];
  all: string;
  testId?: string;
}) {
  return (
    <label className="toolbar-field">
      <span className="visually-hidden">{label}</span>
      <select
        className="input"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        data-testid={testId}
        title={label}
      >
        <option value="">{all}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The regions of Uzbekistan as the server lists them (editable there). */
export function useRegions(reloadToken = 0): Region[] {
  const [regions, setRegions] = useState<Region[]>([]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadToken asks for a new read.
  useEffect(() => {
    const controller = new AbortController();
    getRegions(controller.signal)
      .then(setRegions)
      .catch(() => {
        // The select stays empty; the form still saves without a region.
      });
    return () => controller.abort();
  }, [reloadToken]);
  return regions;
}

/**
 * Who can own clients and deals: the user accounts for those who may read them, otherwise only
 * the signed-in user.
 */
export function useOwners(): Option[] {
  const { user, can } = useSession();
  const [users, setUsers] = useState<User[]>([]);
  const readable = can('admin.users.read');
  useEffect(() => {
    if (!readable) return;
    const controller = new AbortController();
    api<Page<User>>('GET', '/api/admin/users?limit=500&sort=name&active=true', undefined, {
      signal: controller.signal,
    })
      .then((page) => setUsers(page.items))
      .catch(() => {
        // Only "me" then.
      });
    return () => controller.abort();
  }, [readable]);
  if (users.length > 0) return users.map((u) => ({ value: u.id, label: u.name }));
  return user ? [{ value: user.id, label: user.name }] : [];
}

export function ClientStatusBadge({ status }: { status: ClientStatus }) {
  const { t } = useI18n();
  return <span className={`badge crm-status-${status}`}>{t(`crm.status.${status}`)}</span>;
}

const TYPE_MARK: Record<ActivityType, string> = {
  call: '☎',
  meeting: '◎',
  email: '✉',
  task: '✓',
  note: '✎',
};

export function ActivityTypeBadge({ type }: { type: ActivityType }) {
  const { t } = useI18n();
  return (
    <span className={`badge crm-type crm-type-${type}`}>
      <span aria-hidden="true">{TYPE_MARK[type]}</span> {t(`crm.activityType.${type}`)}
    </span>
  );
}

type PickerProps<T> = {
  label: string;
  placeholder: string;
  /** Reads the choices for what was typed. */
  search(q: string, signal: AbortSignal): Promise<T[]>;
  itemKey(item: T): string;
  itemLabel(item: T): ReactNode;
  onPick(item: T): void;
  error?: string | undefined;
  hint?: string;
  name: string;
  testId?: string;
  /** Text shown when nothing matches. */
  nothing: string;
};

/** A search box whose results are a list to pick from (arrows and Enter, or a click). */
export function Picker<T>({
  label,
  placeholder,
  search,
  itemKey,
  itemLabel,
  onPick,
  error,
  hint,
  name,
  testId,
  nothing,
}: PickerProps<T>) {
  const listId = useId();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 250);
  const [items, setItems] = useState<T[] | null>(null);
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const searchRef = useRef(search);
  searchRef.current = search;

  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    searchRef
      .current(q, controller.signal)
      .then((found) => {
        setItems(found);
        setActive(0);
      })
      .catch(() => {
        if (!controller.signal.aborted) setItems([]);
      });
    return () => controller.abort();
  }, [q, open]);

  const pick = (item: T) => {
    onPick(item);
    setText('');
    setOpen(false);
  };

  return (
    <Field label={label} name={name} error={error} hint={hint ?? ''}>
      {(control) => (
        <div className="crm-picker">
          <input
            className="input"
            type="search"
            role="combobox"
            aria-expanded={open}
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={open && items && items.length > 0 ? `${listId}-${active}` : undefined}
            autoComplete="off"
            placeholder={placeholder}
            value={text}
            data-testid={testId}
            onFocus={() => setOpen(true)}
            onBlur={() => window.setTimeout(() => setOpen(false), 150)}
            onChange={(event) => {
              setText(event.target.value);
              setOpen(true);
            }}
            onKeyDown={(event) => {
              if (!items || items.length === 0) return;
              if (event.key === 'ArrowDown') {
                event.preventDefault();
                setActive((n) => Math.min(items.length - 1, n + 1));
              } else if (event.key === 'ArrowUp') {
                event.preventDefault();
                setActive((n) => Math.max(0, n - 1));
              } else if (event.key === 'Enter') {
                event.preventDefault();
                const item = items[active];
                if (item) pick(item);
              } else if (event.key === 'Escape') {
                setOpen(false);
              }
            }}
            {...control}
          />
          {open && items ? (
            <div className="crm-picker-list" id={listId} role="listbox" aria-label={label}>
              {items.length === 0 ? (
                <div className="muted crm-picker-nothing">{nothing}</div>
              ) : (
                items.map((item, index) => (
                  <div
                    key={itemKey(item)}
                    id={`${listId}-${index}`}
                    tabIndex={-1}
                    role="option"
                    aria-selected={index === active}
                    className={`crm-picker-option${index === active ? ' crm-picker-active' : ''}`}
                    onMouseDown={(event) => {
                      event.preventDefault();
                      pick(item);
                    }}
                    onMouseEnter={() => setActive(index)}
                  >
                    {itemLabel(item)}
                  </div>
                ))
              )}
            </div>
          ) : null}
        </div>
      )}
    </Field>
  );
}

type DialogProps = {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  variant?: 'primary' | 'danger';
  busy?: boolean;
  disabled?: boolean;
  error?: string | null;
  onConfirm(): void;
  onCancel(): void;
  testId?: string;
};

/** A modal question (the browser's own <dialog>: focus stays inside, Escape cancels). */
export function Dialog({
  title,
  children,
  confirmLabel,
  variant = 'primary',
  busy = false,
  disabled = false,
  error,
  onConfirm,
  onCancel,
  testId,
}: DialogProps) {
  const { t } = useI18n();
  const titleId = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="crm-dialog"
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!disabled) onConfirm();
        }}
      >
        <h2 id={titleId}>{title}</h2>
        <div className="crm-dialog-body">{children}</div>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="crm-dialog-actions">
          <Button onClick={onCancel} disabled={busy}>
            {t('common.cancel')}
          </Button>
          <Button
            type="submit"
            variant={variant}
            busy={busy}
            disabled={disabled}
            data-testid={testId ? `${testId}-confirm` : undefined}
          >
            {confirmLabel}
          </Button>
        </div>
      </form>
    </dialog>
  );
}

/** Today as YYYY-MM-DD in the browser's time zone. */
export function todayIso(): string {
  return toLocalInput(new Date()).slice(0, 10);
}

/** A date as the value of <input type="datetime-local"> (local time, minutes). */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The pipelines with their stages; the default one first. */
export function usePipelines(): { pipelines: Pipeline[] | null; error: unknown; reload(): void } {
  const [pipelines, setPipelines] = useState<Pipeline[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [token, setToken] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: token asks for a new read.
  useEffect(() => {
    const controller = new AbortController();
    getPipelines(controller.signal)
      .then((items) => {
        setPipelines(
          [...items]
            .sort((a, b) => Number(b.isDefault) - Number(a.isDefault))
            .map((p) => ({ ...p, stages: [...p.stages].sort((a, b) => a.order - b.order) })),
        );
      })
      .catch((reason: unknown) => {
        if (!controller.signal.aborted) setError(reason);
      });
    return () => controller.abort();
  }, [token]);
  return { pipelines, error, reload: () => setToken((n) => n + 1) };
}

/** The names the default pipeline's stages are created with (modules/crm/migrations/0001-crm.ts). */
const DEFAULT_STAGE_NAMES: Record<string, string> = {
  new: 'Yangi',
  qualified: 'Saralangan',
  proposal: 'Taklif',
  negotiation: 'Muzokara',
  won: 'Yutilgan',
  lost: 'Yutqazilgan',
};

/**
 * The name of a stage: the catalogue's, in the user's language, for a default stage that still
 * has its default name; the pipeline's own once the sales head renamed it.
 */
export function stageName(
  t: ReturnType<typeof useI18n>['tOr'],
  stage: Pick<Stage, 'code' | 'name'> | undefined,
  code: string,
): string {
  if (stage && stage.name !== DEFAULT_STAGE_NAMES[code]) return stage.name;
  return t(`crm.stage.${code}`, stage?.name ?? code);
}

export function StageBadge({ stage, kind }: { stage: string; kind: Stage['kind'] | undefined }) {
  return <span className={`badge crm-stage crm-stage-${kind ?? 'open'}`}>{stage}</span>;
}
