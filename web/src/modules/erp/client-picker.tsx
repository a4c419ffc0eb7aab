// The client of a shipment, found by name, phone or tax id among CRM's clients through ERP's
// own lookup (warehouse staff hold no rights in CRM). A combobox like the product finder: type,
// arrows, Enter; the chosen client's name stays in the field.
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { api } from '../../app/api';
import { formatPhone } from '../../app/phone-text';
import { useI18n } from '../../i18n/i18n';
import { FinderOptions, stepOption } from './finder-options';

export type ShipmentClient = { id: string; name: string; phone: string | null; taxId: string | null };

type Props = {
  /** The chosen client's id, or ''. */
  value: string;
  onChange(clientId: string): void;
  disabled?: boolean;
  testId?: string;
  id?: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string | undefined;
};

/** The client with an id, as the lookup answers it; null while loading or when unknown. */
export function useShipmentClient(id: string | null): ShipmentClient | null {
  const [client, setClient] = useState<ShipmentClient | null>(null);
  useEffect(() => {
    if (!id) {
      setClient(null);
      return;
    }
    let live = true;
    api<{ items: ShipmentClient[] }>('GET', '/api/erp/shipment-clients', undefined, { query: { id } })
      .then((page) => live && setClient(page.items[0] ?? null))
      .catch(() => live && setClient(null));
    return () => {
      live = false;
    };
  }, [id]);
  return client;
}

export function ClientPicker({ value, onChange, disabled, testId, id, ...aria }: Props) {
  const { t } = useI18n();
  const listId = `${useId()}-clients`;
  const known = useShipmentClient(value || null);
  const [text, setText] = useState('');
  const [typing, setTyping] = useState(false);
  const [items, setItems] = useState<ShipmentClient[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const generation = useRef(0);

  // The chosen client's name fills the field once it is known (a draft opened again).
  const shown = typing ? text : (known?.name ?? text);

  useEffect(() => {
    const query = text.trim();
    if (!typing || query.length < 2) {
      setItems([]);
      return;
    }
    const mine = ++generation.current;
    const timer = window.setTimeout(() => {
      api<{ items: ShipmentClient[] }>('GET', '/api/erp/shipment-clients', undefined, { query: { q: query } })
        .then((page) => {
          if (generation.current !== mine) return;
          setItems(page.items);
          setActive(0);
        })
        .catch(() => generation.current === mine && setItems([]));
    }, 200);
    return () => window.clearTimeout(timer);
  }, [text, typing]);

  const pick = (client: ShipmentClient) => {
    generation.current += 1;
    setText(client.name);
    setTyping(false);
    setOpen(false);
    setItems([]);
    onChange(client.id);
  };

  const visible = open && typing && items.length > 0;
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!visible) return setOpen(true);
      setActive((index) => stepOption(index, event.key as 'ArrowDown' | 'ArrowUp', items.length));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const chosen = visible ? items[active] : undefined;
      if (chosen) pick(chosen);
    } else if (event.key === 'Escape' && visible) {
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
    }
  };

  return (
    <div className="erp-finder">
      <input
        id={id}
        {...aria}
        className="input"
        type="text"
        role="combobox"
        aria-expanded={visible}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={visible ? `${listId}-${active}` : undefined}
        autoComplete="off"
        spellCheck={false}
        placeholder={t('erp.post.clientPlaceholder')}
        disabled={disabled}
        value={shown}
        data-testid={testId}
        onChange={(event) => {
          setText(event.target.value);
          setTyping(true);
          setOpen(true);
          // A changed name no longer names the chosen client.
          if (value) onChange('');
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
        onFocus={() => setOpen(true)}
      />
      <FinderOptions
        id={listId}
        label={t('erp.fields.client')}
        visible={visible}
        items={items}
        active={active}
        keyOf={(client) => client.id}
        onPick={pick}
        onHover={setActive}
        optionClass="erp-client-option"
      >
        {(client) => (
          <>
            <span className="erp-finder-name">{client.name}</span>
            <span className="muted small">
              {[client.phone && formatPhone(client.phone), client.taxId].filter(Boolean).join(' · ')}
            </span>
          </>
        )}
      </FinderOptions>
    </div>
  );
}
