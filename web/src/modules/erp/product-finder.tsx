import {
  type KeyboardEvent,
  type Ref,
  useCallback,
  useEffect,
  useId,
  useImperativeHandle,
  useRef,
  useState,
} from 'react';
import { api, fetchPage } from '../../app/api';
import { useI18n } from '../../i18n/i18n';
import { FinderOptions, stepOption } from './finder-options';
import { exactMatch, rankProducts } from './lookup';
import type { Product } from './types';

export type ProductFinderHandle = { focus(): void; clear(): void };

type Props = {
  /** Called with the product the user chose (by Enter, click, or an exact scanned code). */
  onPick(product: Product): void;
  handle?: Ref<ProductFinderHandle>;
  placeholder: string;
  label: string;
  disabled?: boolean;
  /** Shown under the field, e.g. "choose the warehouse first". */
  message?: string | null;
  invalid?: boolean;
  testId?: string;
};

const SUGGESTIONS = 8;

/**
 * The product field of the posting screen, a combobox: typing searches SKU, barcode and name;
 * arrows move through the list; Enter takes the highlighted product, or the one whose SKU or
 * barcode is exactly what was typed (a scanner types a barcode and Enter at once, faster than
 * the list can load, so Enter asks the lookup endpoint itself).
 */
export function ProductFinder({
  onPick,
  handle,
  placeholder,
  label,
  disabled,
  message,
  invalid,
  testId,
}: Props) {
  const { t } = useI18n();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [items, setItems] = useState<{ query: string; products: Product[] }>({ query: '', products: [] });
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  /** Whether the user moved through the list with the arrows: then Enter takes that item. */
  const [navigated, setNavigated] = useState(false);
  const [searching, setSearching] = useState(false);
  const [notFound, setNotFound] = useState<string | null>(null);
  /** Answers to older requests are dropped: each request and each pick moves this on. */
  const generation = useRef(0);

  const clear = useCallback(() => {
    generation.current += 1;
    setText('');
    setItems({ query: '', products: [] });
    setOpen(false);
    setNavigated(false);
    setSearching(false);
  }, []);

  useImperativeHandle(handle, () => ({ focus: () => input.current?.focus(), clear }), [clear]);

  const search = useCallback(async (query: string): Promise<Product[]> => {
    const page = await fetchPage<Product>('/api/erp/products', {
      q: query,
      active: true,
      limit: 50,
      sort: 'sku',
    });
    return rankProducts(page.items, query).slice(0, SUGGESTIONS);
  }, []);

  // Search as the user pauses typing.
  useEffect(() => {
    const query = text.trim();
    if (!query) return;
    const mine = ++generation.current;
    setSearching(true);
    const timer = window.setTimeout(() => {
      search(query)
        .then((products) => {
          if (generation.current !== mine) return;
          setItems({ query, products });
          setActive(0);
          setSearching(false);
        })
        .catch(() => {
          if (generation.current === mine) setSearching(false);
        });
    }, 150);
    return () => window.clearTimeout(timer);
  }, [text, search]);

  const pick = (product: Product) => {
    clear();
    setNotFound(null);
    onPick(product);
  };

  const enter = async () => {
    const query = text.trim();
    if (!query) return;
    const current = items.query === query ? items.products : null;
    if (navigated && current?.[active]) return pick(current[active]);
    const exact = current ? exactMatch(current, query) : null;
    if (exact) return pick(exact);
    const mine = ++generation.current;
    setSearching(true);
    try {
      const { product } = await api<{ product: Product | null }>(
        'GET',
        '/api/erp/products/lookup',
        undefined,
        {
          query: { code: query },
        },
      );
      if (generation.current !== mine) return;
      if (product?.active) return pick(product);
      const ranked = current ?? (await search(query));
      if (generation.current !== mine) return;
      if (ranked[0]) return pick(ranked[0]);
      setSearching(false);
      setOpen(false);
      setNotFound(
        product
          ? t('erp.post.inactiveProduct', { sku: product.sku })
          : t('erp.post.noProduct', { text: query }),
      );
    } catch {
      if (generation.current === mine) setSearching(false);
    }
  };

  const visible = open && text.trim() !== '' && items.query === text.trim() && items.products.length > 0;

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!visible) {
        setOpen(true);
        return;
      }
      const count = items.products.length;
      setActive((index) => stepOption(index, event.key as 'ArrowDown' | 'ArrowUp', count));
      setNavigated(true);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      void enter();
    } else if (event.key === 'Escape') {
      if (visible) {
        event.preventDefault();
        event.stopPropagation();
        setOpen(false);
      }
    }
  };

  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  const shown = notFound ?? message ?? null;
  return (
    <div className="erp-finder">
      <label className="visually-hidden" htmlFor={`${id}-input`}>
        {label}
      </label>
      <input
        id={`${id}-input`}
        ref={input}
        className="input"
        type="text"
        role="combobox"
        aria-expanded={visible}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={visible ? `${listId}-${active}` : undefined}
        aria-invalid={Boolean(invalid || notFound)}
        aria-describedby={shown ? hintId : undefined}
        autoComplete="off"
        spellCheck={false}
        placeholder={placeholder}
        disabled={disabled}
        value={text}
        data-testid={testId}
        onChange={(event) => {
          setText(event.target.value);
          setOpen(true);
          setNavigated(false);
          setNotFound(null);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
        onFocus={() => setOpen(true)}
      />
      {searching && text.trim() ? (
        <span className="erp-finder-busy muted small">{t('erp.post.searching')}</span>
      ) : null}
      <FinderOptions
        id={listId}
        label={label}
        visible={visible}
        items={items.products}
        active={active}
        keyOf={(product) => product.id}
        onPick={pick}
        onHover={setActive}
      >
        {(product) => (
          <>
            <span className="erp-sku">{product.sku}</span>
            <span className="erp-finder-name">{product.name}</span>
            {product.barcode ? (
              <span className="muted small erp-finder-barcode">{product.barcode}</span>
            ) : null}
          </>
        )}
      </FinderOptions>
      {shown ? (
        <p
          className={notFound ? 'field-error' : 'field-hint'}
          id={hintId}
          data-testid={testId ? `${testId}-message` : undefined}
        >
          {shown}
        </p>
      ) : null}
    </div>
  );
}
