// A warehouse's keepers on its form: the people chosen, each with a button to take them off,
// and a field to find more by name or e-mail (ERP's own lookup: warehouse managers read no users).
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { api } from '../../app/api';
import { Field } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import { FinderOptions, stepOption } from './finder-options';
import type { Keeper } from './types';

type Candidate = Keeper & { email: string };

type Props = {
  value: Keeper[];
  onChange(keepers: Keeper[]): void;
  disabled?: boolean;
  error?: string;
};

export function KeeperPicker({ value, onChange, disabled, error }: Props) {
  const { t } = useI18n();
  const listId = `${useId()}-keepers`;
  const [text, setText] = useState('');
  const [items, setItems] = useState<Candidate[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const generation = useRef(0);

  useEffect(() => {
    const query = text.trim();
    if (!open) return;
    const mine = ++generation.current;
    const timer = window.setTimeout(() => {
      api<{ items: Candidate[] }>('GET', '/api/erp/warehouse-keepers', undefined, { query: { q: query } })
        .then((page) => {
          if (generation.current !== mine) return;
          setItems(page.items);
          setActive(0);
        })
        .catch(() => generation.current === mine && setItems([]));
    }, 200);
    return () => window.clearTimeout(timer);
  }, [text, open]);

  const chosen = new Set(value.map((k) => k.id));
  const offered = items.filter((c) => !chosen.has(c.id));
  const visible = open && offered.length > 0;
  const add = (candidate: Candidate) => {
    onChange([...value, { id: candidate.id, name: candidate.name }]);
    setText('');
    setActive(0);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!visible) return setOpen(true);
      setActive((index) => stepOption(index, event.key as 'ArrowDown' | 'ArrowUp', offered.length));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const candidate = visible ? offered[active] : undefined;
      if (candidate) add(candidate);
    } else if (event.key === 'Escape' && visible) {
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
    }
  };

  return (
    <Field
      label={t('erp.warehouses.keepers')}
      name="keeperIds"
      error={error}
      hint={t('erp.warehouses.keepersHint')}
    >
      {(control) => (
        <>
          {value.length > 0 ? (
            <ul className="erp-keepers" data-testid="warehouse-keepers">
              {value.map((keeper) => (
                <li key={keeper.id} className="chip erp-filter-chip">
                  <span>{keeper.name}</span>
                  {disabled ? null : (
                    <button
                      type="button"
                      className="icon-button erp-chip-clear"
                      aria-label={t('erp.warehouses.keeperRemove', { name: keeper.name })}
                      onClick={() => onChange(value.filter((k) => k.id !== keeper.id))}
                    >
                      <span aria-hidden="true">×</span>
                    </button>
                  )}
                </li>
              ))}
            </ul>
          ) : null}
          {disabled ? null : (
            <div className="erp-finder">
              <input
                {...control}
                className="input"
                type="text"
                role="combobox"
                aria-expanded={visible}
                aria-controls={listId}
                aria-autocomplete="list"
                aria-activedescendant={visible ? `${listId}-${active}` : undefined}
                autoComplete="off"
                spellCheck={false}
                placeholder={t('erp.warehouses.keeperPlaceholder')}
                value={text}
                data-testid="warehouse-keeper-input"
                onChange={(event) => {
                  setText(event.target.value);
                  setOpen(true);
                }}
                onKeyDown={onKeyDown}
                onBlur={() => setOpen(false)}
                onFocus={() => setOpen(true)}
              />
              <FinderOptions
                id={listId}
                label={t('erp.warehouses.keepers')}
                visible={visible}
                items={offered}
                active={active}
                keyOf={(candidate) => candidate.id}
                onPick={add}
                onHover={setActive}
                optionClass="erp-client-option"
              >
                {(candidate) => (
                  <>
                    <span className="erp-finder-name">{candidate.name}</span>
                    <span className="muted small">{candidate.email}</span>
                  </>
                )}
              </FinderOptions>
            </div>
          )}
        </>
      )}
    </Field>
  );
}
