import {
  type ButtonHTMLAttributes,
  createContext,
  type InputHTMLAttributes,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useI18n } from '../i18n/i18n';
import { DateInput } from './date-input';
import { DateTimeInput } from './date-time-input';
import { Icon, type IconName } from './icons';

const APP_NAME = 'OneBox';

/** A spinning circle; `label` is read by screen readers. */
export function Spinner({ label, size = 'small' }: { label?: string; size?: 'small' | 'large' }) {
  const { t } = useI18n();
  return (
    <span className={`spinner spinner-${size}`} role="status">
      <span className="visually-hidden">{label ?? t('common.loading')}</span>
    </span>
  );
}

/** A page-sized waiting state, e.g. while a lazily loaded page arrives. */
export function PageLoading() {
  return (
    <div className="page-loading">
      <Spinner size="large" />
    </div>
  );
}

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost';
  /** While true the button is disabled and shows a spinner: the request is under way. */
  busy?: boolean;
  icon?: IconName;
};

export function Button({
  variant = 'secondary',
  busy = false,
  icon,
  children,
  disabled,
  className,
  ...rest
}: ButtonProps) {
  return (
    <button
      type="button"
      {...rest}
      className={`button button-${variant}${className ? ` ${className}` : ''}`}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
    >
      {busy ? <Spinner /> : icon ? <Icon name={icon} /> : null}
      {children}
    </button>
  );
}

type FieldProps = {
  label: string;
  /** The field's name, as the API names it in `details.issues[].path`. */
  name: string;
  error?: string | undefined;
  hint?: string;
  children: (control: {
    id: string;
    'aria-invalid': boolean;
    'aria-describedby': string | undefined;
  }) => ReactNode;
};

/** A label, a control and, below it, the hint or the error about this field. */
export function Field({ label, name, error, hint, children }: FieldProps) {
  const id = `${useId()}-${name}`;
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': describedBy })}
      {error ? (
        <p className="field-error" id={`${id}-error`} data-testid={`error-${name}`}>
          {error}
        </p>
      ) : hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'name'> & {
  label: string;
  name: string;
  value: string;
  onChange(value: string): void;
  error?: string | undefined;
  hint?: string;
};

export function TextField({ label, name, value, onChange, error, hint, ...input }: TextFieldProps) {
  if (input.type === 'datetime-local') {
    const { type: _datetime, ...rest } = input;
    return (
      <Field label={label} name={name} error={error} hint={hint ?? ''}>
        {(control) => <DateTimeInput name={name} value={value} onChange={onChange} {...control} {...rest} />}
      </Field>
    );
  }
  if (input.type === 'date') {
    const { type: _date, min, max, ...rest } = input;
    return (
      <Field label={label} name={name} error={error} hint={hint ?? ''}>
        {(control) => (
          <DateInput
            name={name}
            value={value}
            onChange={onChange}
            min={typeof min === 'string' ? min : undefined}
            max={typeof max === 'string' ? max : undefined}
            {...control}
            {...rest}
          />
        )}
      </Field>
    );
  }
  return (
    <Field label={label} name={name} error={error} hint={hint ?? ''}>
      {(control) => (
        <input
          className="input"
          name={name}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          {...control}
          {...input}
        />
      )}
    </Field>
  );
}

/** A message about a whole form, such as a wrong password or a lost connection. */
export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <div className="form-error" role="alert" data-testid="form-error">
      <Icon name="alert" />
      <span>{message}</span>
    </div>
  );
}

/** The title of a page (also the browser tab's), a line about it, and its main actions. */
export function PageHeader({
  title,
  description,
  actions,
}: {
  title: string;
  description?: string;
  actions?: ReactNode;
}) {
  useEffect(() => {
    document.title = `${title} · ${APP_NAME}`;
  }, [title]);
  return (
    <header className="page-header">
      <div className="page-header-text">
        <h1>{title}</h1>
        {description ? <p>{description}</p> : null}
      </div>
      {actions ? <div className="page-header-actions">{actions}</div> : null}
    </header>
  );
}

/** What an empty list shows: what it would hold and what to do next. */
export function EmptyState({
  icon,
  title,
  text,
  action,
  page = false,
}: {
  icon: IconName;
  title: string;
  text: string;
  action?: ReactNode;
  /** The whole page is this message (no access, not found): its title is the page's heading. */
  page?: boolean;
}) {
  const Heading = page ? 'h1' : 'h2';
  useEffect(() => {
    if (page) document.title = `${title} · ${APP_NAME}`;
  }, [page, title]);
  return (
    <div className={`empty-state${page ? ' empty-state-page' : ''}`} data-testid="empty-state">
      <div className="empty-state-icon">
        <Icon name={icon} size={28} />
      </div>
      <Heading>{title}</Heading>
      <p>{text}</p>
      {action}
    </div>
  );
}

type DrawerProps = {
  title: string;
  onClose(): void;
  children: ReactNode;
  footer?: ReactNode;
  testId?: string;
};

/** A panel sliding in from the right, over the page; Escape or the backdrop closes it. */
export function Drawer({ title, onClose, children, footer, testId }: DrawerProps) {
  const { t } = useI18n();
  const panel = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const first = panel.current?.querySelector<HTMLElement>(
      'input, select, textarea, button:not(.drawer-close)',
    );
    (first ?? panel.current)?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') closeRef.current();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      previous?.focus();
    };
  }, []);

  return (
    <div className="drawer-layer">
      <div className="drawer-backdrop" onClick={onClose} aria-hidden="true" />
      <div
        className="drawer"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        ref={panel}
        tabIndex={-1}
        data-testid={testId}
      >
        <header className="drawer-header">
          <h2 id={titleId}>{title}</h2>
          <button
            type="button"
            className="icon-button drawer-close"
            onClick={onClose}
            aria-label={t('common.close')}
          >
            <Icon name="close" />
          </button>
        </header>
        <div className="drawer-body">{children}</div>
        {footer ? <footer className="drawer-footer">{footer}</footer> : null}
      </div>
    </div>
  );
}

type Toast = { id: number; kind: 'success' | 'error'; text: string };
type Notify = (kind: Toast['kind'], text: string) => void;

const NotifyContext = createContext<Notify>(() => {});

/** Shows a short message in the corner, e.g. "Saved", that goes away by itself. */
export function useNotify(): Notify {
  return useContext(NotifyContext);
}

export function NotifyProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback(
    (id: number) => setToasts((list) => list.filter((toast) => toast.id !== id)),
    [],
  );

  const notify = useCallback<Notify>(
    (kind, text) => {
      const id = nextId.current++;
      setToasts((list) => [...list.slice(-2), { id, kind, text }]);
      window.setTimeout(() => dismiss(id), kind === 'error' ? 8000 : 4000);
    },
    [dismiss],
  );

  const value = useMemo(() => notify, [notify]);

  return (
    <NotifyContext.Provider value={value}>
      {children}
      <div className="toasts" aria-live="polite">
        {toasts.map((toast) => (
          <div
            key={toast.id}
            className={`toast toast-${toast.kind}`}
            role={toast.kind === 'error' ? 'alert' : 'status'}
          >
            <Icon name={toast.kind === 'error' ? 'alert' : 'check'} />
            <span>{toast.text}</span>
            <button
              type="button"
              className="icon-button"
              onClick={() => dismiss(toast.id)}
              aria-label={t('common.close')}
            >
              <Icon name="close" size={16} />
            </button>
          </div>
        ))}
      </div>
    </NotifyContext.Provider>
  );
}
