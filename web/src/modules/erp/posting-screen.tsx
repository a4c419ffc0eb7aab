import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, api, fetchPage } from '../../app/api';
import { DateInput } from '../../app/date-input';
import { navigate } from '../../app/router';
import { useSession } from '../../app/session';
import { Button, Field, FormError, PageHeader, useNotify } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import type { Variables } from '../bpm/api';
import { StartProcess } from '../bpm/start-process';
import { ClientPicker } from './client-picker';
import { ConfirmDialog } from './confirm-dialog';
import { CountSheet } from './count-sheet';
import {
  apiIdempotent,
  erpErrorMessage,
  fetchBalance,
  formatQuantity,
  isFinalRefusal,
  type LineProduct,
  mayPostIn,
  newIdempotencyKey,
  rememberedWarehouse,
  rememberWarehouse,
  shortLines,
  spreadError,
  useWarehouses,
} from './erp-api';
import {
  addLine,
  checkForm,
  countSheetLines,
  type DocumentForm,
  documentBody,
  emptyForm,
  exceeds,
  type FormLine,
  formOfDocument,
  lineProblem,
  MAX_LINES,
  shortByLineKey,
} from './posting';
import { ProductFinder, type ProductFinderHandle } from './product-finder';
import {
  compareQuantities,
  multiplyAmount,
  parseQuantity,
  subtractQuantities,
  sumQuantities,
} from './quantity';
import {
  type Balance,
  DOCUMENT_TYPES,
  type DocumentType,
  OUTGOING,
  PERMISSIONS,
  REASONS,
  type Reason,
  type ShortLine,
  type StockDocument,
  UNITS,
} from './types';
import { WarehouseSelect } from './warehouse-select';
import './erp.css';

type Props = {
  /** The draft to edit; none for a new document. */
  draft: StockDocument | null;
  initialType?: DocumentType;
  /** Called with a posted draft: its page shows it read-only now. */
  onPosted?(doc: StockDocument): void;
};

type BalanceState = Record<string, Balance | null>;
const balanceKey = (warehouseId: string, productId: string) => `${warehouseId}:${productId}`;

/**
 * Prices per line key, as typed. Receipts (what the goods cost), shipments (what the client pays)
 * and write-offs (what was lost; the approval values it by them) take one; transfers and counts
 * move or count goods without a price.
 */
type Prices = Record<string, string>;
const PRICED: readonly DocumentType[] = ['receipt', 'write_off', 'shipment'];
const PRICE = /^\d{1,16}(\.\d{1,2})?$/;

/** A typed price in the API's form ("12 500,5" -> "12500.5"); '' when empty, null when no price. */
function typedPrice(text: string | undefined): string | null {
  const compact = (text ?? '').replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  return compact === '' || PRICE.test(compact) ? compact : null;
}

function pricesOfDocument(doc: StockDocument | null): Prices {
  const prices: Prices = {};
  for (const line of doc?.lines ?? []) if (line.price !== null) prices[line.id] = trimZeros(line.price);
  return prices;
}

function trimZeros(value: string): string {
  return value.includes('.') ? value.replace(/\.?0+$/, '') : value;
}

/** The API's body with the prices on their lines (a line without one has none). */
function bodyOf(form: DocumentForm, prices: Prices) {
  const body = documentBody(form);
  if (!PRICED.includes(form.type)) return body;
  return {
    ...body,
    lines: body.lines.map((line, index) => {
      const price = typedPrice(prices[form.lines[index]?.key ?? '']);
      return price ? { ...line, price } : line;
    }),
  };
}

let lineCounter = 0;
/** Where the draft this screen shows is deleted: at its revision, so lines someone added since are not lost. */
const draftAddress = (doc: StockDocument) =>
  `/api/erp/stock-documents/${encodeURIComponent(doc.id)}?revision=${doc.revision}`;

const newLineKey = () => `new-${++lineCounter}`;

/** Server refusals about one field, said beside it. */
const FIELD_CODES: Record<string, string> = { WAREHOUSE_NOT_KEPT: 'warehouseId' };

/**
 * The screen warehouse staff post stock with, built for speed: type and warehouse, then lines
 * from the keyboard or a scanner (product, Enter, quantity, Enter), the available quantity
 * beside each line, and Post. A double click posts once: the button is disabled while the
 * request is in flight and a retry of the same attempt carries the same Idempotency-Key.
 */
export function PostingScreen({ draft, initialType = 'receipt', onPosted }: Props) {
  const i18n = useI18n();
  const { t, formatNumber, formatMoney } = i18n;
  const { can, user } = useSession();
  const notify = useNotify();
  const canWrite = can(PERMISSIONS.documentsWrite);
  const canPost = can(PERMISSIONS.documentsPost);
  const { warehouses, loaded: warehousesLoaded } = useWarehouses();
  const active = warehouses.filter(
    (w) => w.active || w.id === draft?.warehouseId || w.id === draft?.targetWarehouseId,
  );
  // A document's own warehouse is one the user may post in (a kept one only by its keepers);
  // a transfer may go into any.
  const mine = active.filter((w) => w.id === draft?.warehouseId || mayPostIn(w, user));

  const [saved, setSaved] = useState<StockDocument | null>(draft);
  const [form, setForm] = useState<DocumentForm>(() =>
    draft ? formOfDocument(draft) : emptyForm(initialType, rememberedWarehouse()),
  );
  const [prices, setPrices] = useState<Prices>(() => pricesOfDocument(draft));
  const [savedSignature, setSavedSignature] = useState(() =>
    draft ? JSON.stringify(bodyOf(formOfDocument(draft), pricesOfDocument(draft))) : '',
  );
  const [entry, setEntry] = useState<{ product: LineProduct; quantity: string } | null>(null);
  const [entryError, setEntryError] = useState<string | null>(null);
  const [merged, setMerged] = useState<string | null>(null);
  const [picked, setPicked] = useState(0);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [serverFields, setServerFields] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [short, setShort] = useState<Record<string, ShortLine>>({});
  const [busy, setBusy] = useState<null | 'save' | 'post' | 'reserve' | 'delete' | 'fill'>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [balances, setBalances] = useState<BalanceState>({});
  const [balancesVersion, setBalancesVersion] = useState(0);
  const requested = useRef(new Set<string>());
  const inFlight = useRef(false);
  /** The key of the current attempt to post: kept for retries until the content changes. */
  const attemptKey = useRef<string | null>(null);
  const finder = useRef<ProductFinderHandle>(null);
  const quantityInput = useRef<HTMLInputElement>(null);

  const reserved = saved?.reserved === true;
  const locked = reserved || !canWrite;
  const outgoing = OUTGOING.includes(form.type);
  const priced = PRICED.includes(form.type);
  const signature = JSON.stringify(bodyOf(form, prices));
  const dirty = signature !== savedSignature;

  // A new attempt to post starts whenever the content changes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the signature stands for the content.
  useEffect(() => {
    attemptKey.current = null;
  }, [signature]);

  // The first active warehouse is chosen when there is no (valid) remembered one.
  useEffect(() => {
    if (!warehousesLoaded || draft) return;
    setForm((previous) => {
      const usable = warehouses.filter((w) => w.active && mayPostIn(w, user));
      if (previous.warehouseId && usable.some((w) => w.id === previous.warehouseId)) return previous;
      const only = usable;
      return { ...previous, warehouseId: only.length === 1 ? (only[0]?.id ?? '') : '' };
    });
  }, [warehousesLoaded, warehouses, draft, user]);

  // A new document starts at the product field once its warehouse is known: scan and go.
  const focusedOnce = useRef(false);
  useEffect(() => {
    if (draft || focusedOnce.current || !warehousesLoaded || !form.warehouseId) return;
    focusedOnce.current = true;
    finder.current?.focus();
  }, [draft, warehousesLoaded, form.warehouseId]);

  // The available quantity of every product on the screen, in the document's warehouse.
  const wanted = useMemo(() => {
    if (!form.warehouseId) return [];
    const ids = new Set(form.lines.map((line) => line.product.id));
    if (entry) ids.add(entry.product.id);
    return [...ids].map((productId) => ({ productId, key: balanceKey(form.warehouseId, productId) }));
  }, [form.warehouseId, form.lines, entry]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `balancesVersion` asks again after a refusal or a reservation.
  useEffect(() => {
    for (const { productId, key } of wanted) {
      if (requested.current.has(key)) continue;
      requested.current.add(key);
      const [warehouseId] = key.split(':');
      fetchBalance(productId, warehouseId ?? '')
        .then((balance) => setBalances((previous) => ({ ...previous, [key]: balance })))
        .catch(() => requested.current.delete(key));
    }
  }, [wanted, balancesVersion]);

  // The first short line comes into view, clear of the sticky buttons: it may be far below.
  useEffect(() => {
    if (Object.keys(short).length === 0) return;
    document.querySelector('.erp-line-short')?.scrollIntoView({ block: 'nearest' });
  }, [short]);

  const refreshBalances = () => {
    requested.current.clear();
    setBalances({});
    setBalancesVersion((n) => n + 1);
  };

  const balanceOf = (productId: string): Balance | null | undefined =>
    form.warehouseId ? balances[balanceKey(form.warehouseId, productId)] : undefined;

  const change = (patch: Partial<DocumentForm>) => {
    setForm((previous) => ({ ...previous, ...patch }));
    setGeneral(null);
    for (const field of Object.keys(patch)) {
      setProblems(({ [field]: _p, ...rest }) => rest);
      setServerFields(({ [field]: _s, ...rest }) => rest);
    }
    if ('warehouseId' in patch) setShort({});
  };

  const setLines = (lines: FormLine[]) => {
    setForm((previous) => ({ ...previous, lines }));
    setServerFields({});
    setProblems(({ lines: _l, ...rest }) => {
      const kept: Record<string, string> = {};
      for (const [path, message] of Object.entries(rest))
        if (!path.startsWith('lines.')) kept[path] = message;
      return kept;
    });
  };

  const pickProduct = (product: LineProduct) => {
    setEntry({ product, quantity: '1' });
    setEntryError(null);
    setMerged(null);
    setPicked((n) => n + 1);
  };

  // Once a product is picked (and the quantity field enabled), the quantity is typed over "1".
  useEffect(() => {
    if (picked === 0) return;
    quantityInput.current?.focus();
    quantityInput.current?.select();
  }, [picked]);

  /** Adds the line being entered; answers the new lines, or null when its quantity is wrong. */
  const commitEntry = (): FormLine[] | null => {
    if (!entry) return form.lines;
    const parsed = parseQuantity(entry.quantity, entry.product.unit, { allowZero: form.type === 'count' });
    if (!parsed.ok) {
      setEntryError(t(`erp.validation.${parsed.problem}`));
      quantityInput.current?.focus();
      return null;
    }
    const result = addLine(form.lines, entry.product, parsed.value, newLineKey());
    setLines(result.lines);
    setShort(({ [result.lines[result.index]?.key ?? '']: _s, ...rest }) => rest);
    setMerged(result.merged ? t('erp.post.merged', { no: result.index + 1 }) : null);
    setEntry(null);
    setEntryError(null);
    finder.current?.focus();
    return result.lines;
  };

  const onEntryKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      commitEntry();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      setEntry(null);
      setEntryError(null);
      finder.current?.focus();
    }
  };

  const updateLine = (key: string, quantity: string) => {
    setLines(form.lines.map((line) => (line.key === key ? { ...line, quantity } : line)));
    setShort(({ [key]: _s, ...rest }) => rest);
  };

  const updatePrice = (index: number, key: string, price: string) => {
    setPrices((previous) => ({ ...previous, [key]: price }));
    setProblems(({ [`lines.${index}.price`]: _p, ...rest }) => rest);
    setServerFields(({ [`lines.${index}.price`]: _s, ...rest }) => rest);
  };

  // The printed count sheet without the book quantities.
  const [blindSheet, setBlindSheet] = useState(false);

  /** An inventory count's sheet: every product in the warehouse's stock, at what is on hand. */
  const fillFromStock = async () => {
    if (inFlight.current || !form.warehouseId) return;
    const warehouseId = form.warehouseId;
    inFlight.current = true;
    setBusy('fill');
    try {
      const found: Balance[] = [];
      for (let offset = 0; found.length < MAX_LINES; offset += 500) {
        const page = await fetchPage<Balance>('/api/erp/stock-balances', {
          warehouseId,
          nonZero: 'true',
          sort: 'product',
          limit: 500,
          offset,
        });
        found.push(...page.items);
        if (page.items.length < 500 || found.length >= page.total) break;
      }
      setBalances((previous) => {
        const next = { ...previous };
        for (const b of found) next[balanceKey(warehouseId, b.productId)] = b;
        return next;
      });
      for (const b of found) requested.current.add(balanceKey(warehouseId, b.productId));
      const { lines, added } = countSheetLines(form.lines, found, newLineKey);
      setLines(lines);
      notify(
        'success',
        added > 0 ? t('erp.post.filled', { count: formatNumber(added) }) : t('erp.post.filledNone'),
      );
    } catch (error) {
      setGeneral(erpErrorMessage(error, i18n));
    } finally {
      inFlight.current = false;
      setBusy(null);
    }
  };

  const removeLine = (index: number) => {
    const line = form.lines[index];
    setLines(form.lines.filter((_, i) => i !== index));
    if (line) setShort(({ [line.key]: _s, ...rest }) => rest);
    finder.current?.focus();
  };

  /**
   * Checks the form with the pending entry added; answers the form to send, or null. A write-off
   * sent for approval must price every line: unpriced, it would be worth nothing and skip it.
   */
  const prepare = ({ pricesNeeded = false } = {}): DocumentForm | null => {
    const lines = commitEntry();
    if (!lines) return null;
    const next = { ...form, lines };
    const found = checkForm(next);
    const messages: Record<string, string> = {};
    for (const [path, key] of Object.entries(found)) messages[path] = t(key);
    if (PRICED.includes(next.type))
      next.lines.forEach((line, index) => {
        const price = typedPrice(prices[line.key]);
        if (price === null || (price === '' && pricesNeeded))
          messages[`lines.${index}.price`] ??= t(
            price === null ? 'erp.validation.price' : 'erp.validation.priceRequired',
          );
      });
    setProblems(messages);
    setGeneral(null);
    if (Object.keys(messages).length > 0) return null;
    return next;
  };

  const showError = (error: unknown, lines: FormLine[]) => {
    const shortOnes = shortLines(error);
    if (shortOnes.length > 0) {
      setShort(shortByLineKey(lines, shortOnes));
      setGeneral(t('erp.post.shortSummary', { count: shortOnes.length }));
      setServerFields({});
      refreshBalances();
      return;
    }
    const spread = spreadError(error, i18n, FIELD_CODES);
    setServerFields(spread.fields);
    // A refusal about one field is said there alone; field issues get a summary at the top too.
    const aboutOneField = error instanceof ApiError && error.code in FIELD_CODES;
    setGeneral(
      spread.general ??
        (Object.keys(spread.fields).length > 0 && !aboutOneField ? erpErrorMessage(error, i18n) : null),
    );
  };

  /** Saves the draft when it changed (or was never saved); answers the saved document. */
  const saveIfNeeded = async (next: DocumentForm): Promise<StockDocument> => {
    const body = bodyOf(next, prices);
    const text = JSON.stringify(body);
    if (saved && text === savedSignature) return saved;
    const doc = saved
      ? // The revision this screen holds: a draft someone changed since is refused, not overwritten.
        await api<StockDocument>('PATCH', `/api/erp/stock-documents/${encodeURIComponent(saved.id)}`, {
          ...body,
          revision: saved.revision,
        })
      : await api<StockDocument>('POST', '/api/erp/stock-documents', body);
    setSaved(doc);
    setSavedSignature(text);
    return doc;
  };

  const saveDraft = async () => {
    if (inFlight.current) return;
    const next = prepare();
    if (!next) return;
    inFlight.current = true;
    setBusy('save');
    try {
      const wasNew = !saved;
      const doc = await saveIfNeeded(next);
      rememberWarehouse(next.warehouseId);
      notify('success', t('erp.post.savedDraft', { number: doc.number }));
      if (wasNew) navigate(`/erp/documents/${encodeURIComponent(doc.id)}`, { replace: true });
    } catch (error) {
      showError(error, next.lines);
    } finally {
      inFlight.current = false;
      setBusy(null);
    }
  };

  const post = async () => {
    if (inFlight.current) return;
    const next = prepare();
    if (!next) return;
    inFlight.current = true;
    setBusy('post');
    attemptKey.current ??= newIdempotencyKey();
    const key = attemptKey.current;
    try {
      let doc: StockDocument;
      if (saved) {
        const current = await saveIfNeeded(next);
        doc = await apiIdempotent<StockDocument>(
          'POST',
          `/api/erp/stock-documents/${encodeURIComponent(current.id)}/post`,
          // Posts what this screen shows: a draft someone changed since is refused.
          { revision: current.revision },
          key,
        );
      } else {
        doc = await apiIdempotent<StockDocument>(
          'POST',
          '/api/erp/stock-documents?post=true',
          bodyOf(next, prices),
          key,
        );
      }
      attemptKey.current = null;
      rememberWarehouse(next.warehouseId);
      notify('success', t('erp.post.posted', { number: doc.number }));
      // A draft is posted where it stands (same address); a new document goes to its own.
      if (saved && onPosted) onPosted(doc);
      else navigate(`/erp/documents/${encodeURIComponent(doc.id)}`);
    } catch (error) {
      // A refusal ends the attempt; a lost answer (network, 5xx) keeps the key for the retry.
      if (isFinalRefusal(error)) attemptKey.current = null;
      showError(error, next.lines);
    } finally {
      inFlight.current = false;
      setBusy(null);
    }
  };

  const reserve = async (release: boolean) => {
    if (inFlight.current || !saved) return;
    const next = release ? form : prepare();
    if (!next) return;
    inFlight.current = true;
    setBusy('reserve');
    try {
      const current = release ? saved : await saveIfNeeded(next);
      const doc = await api<StockDocument>(
        'POST',
        `/api/erp/stock-documents/${encodeURIComponent(current.id)}/${release ? 'release' : 'reserve'}`,
        { revision: current.revision },
      );
      setSaved(doc);
      setSavedSignature(JSON.stringify(bodyOf(formOfDocument(doc), pricesOfDocument(doc))));
      setShort({});
      setGeneral(null);
      refreshBalances();
      notify('success', t(release ? 'erp.post.released' : 'erp.post.reserved', { number: doc.number }));
    } catch (error) {
      showError(error, next.lines);
    } finally {
      inFlight.current = false;
      setBusy(null);
    }
  };

  const remove = async () => {
    if (!saved || inFlight.current) return;
    inFlight.current = true;
    setBusy('delete');
    try {
      await api('DELETE', draftAddress(saved));
      notify('success', t('erp.post.deleted', { number: saved.number }));
      navigate('/erp/documents', { replace: true });
    } catch (error) {
      setConfirmDelete(false);
      setGeneral(erpErrorMessage(error, i18n));
    } finally {
      inFlight.current = false;
      setBusy(null);
    }
  };

  /** The write-off as "Write-off approval" takes it, checked as Post checks it; null when not. */
  const prepareApproval = (): Variables | null => {
    if (inFlight.current) return null;
    const next = prepare({ pricesNeeded: true });
    if (!next) return null;
    const body = bodyOf(next, prices);
    return {
      warehouseId: body.warehouseId,
      reason: body.reason,
      comment: body.comment ?? '',
      lines: body.lines.map((line) => ({
        productId: line.productId,
        quantity: line.quantity,
        price: 'price' in line ? line.price : null,
      })),
    };
  };

  /** The process posts it now: the draft would be a second copy, so it goes (if it can). */
  const approvalStarted = async () => {
    rememberWarehouse(form.warehouseId);
    if (saved) {
      try {
        await api('DELETE', draftAddress(saved));
      } catch (error) {
        notify(
          'error',
          t('erp.post.draftKept', { number: saved.number, error: erpErrorMessage(error, i18n) }),
        );
      }
    }
    navigate('/erp/documents', { replace: Boolean(saved) });
  };

  const errorOf = (path: string) => problems[path] ?? serverFields[path];

  const totals = UNITS.map((unit) => {
    const values = form.lines
      .filter((line) => line.product.unit === unit && !lineProblem(form, line))
      .map((line) => parseQuantity(line.quantity, unit, { allowZero: true }))
      .flatMap((parsed) => (parsed.ok ? [parsed.value] : []));
    return values.length > 0 ? formatQuantity(i18n, sumQuantities(values), unit) : null;
  }).filter(Boolean);

  /** The priced lines' amount, exactly; null while no line has a valid price and quantity. */
  const amounts = priced
    ? form.lines.flatMap((line) => {
        const price = typedPrice(prices[line.key]);
        const parsed = parseQuantity(line.quantity, line.product.unit, { allowZero: true });
        return price && parsed.ok ? [multiplyAmount(parsed.value, price)] : [];
      })
    : [];
  const amount = amounts.length > 0 ? sumQuantities(amounts) : null;

  /** What is there beside a line; a counted line also says how far the count is from it. */
  const availabilityText = (productId: string, unit: LineProduct['unit'], counted?: string) => {
    const balance = balanceOf(productId);
    if (balance === undefined) return form.warehouseId ? '…' : '';
    if (form.type === 'count') {
      const onHand = balance?.quantity ?? '0';
      const text = t('erp.post.onHand', { quantity: formatQuantity(i18n, onHand, unit) });
      const parsed = counted === undefined ? null : parseQuantity(counted, unit, { allowZero: true });
      if (!parsed?.ok || compareQuantities(parsed.value, onHand) === 0) return text;
      const difference = formatQuantity(i18n, subtractQuantities(parsed.value, onHand), unit, {
        signed: true,
      });
      return `${text} · ${t('erp.post.difference', { quantity: difference })}`;
    }
    return t('erp.post.available', { quantity: formatQuantity(i18n, balance?.available ?? '0', unit) });
  };

  const entryBalance = entry ? balanceOf(entry.product.id) : undefined;
  const title = saved ? t('erp.post.editTitle', { number: saved.number }) : t('erp.post.title');
  const warehouseLabel = form.type === 'transfer' ? t('erp.fields.fromWarehouse') : t('erp.fields.warehouse');

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Ctrl+Enter from any field of the form posts; the fields themselves are the interactive elements.
    <div
      className="erp-posting"
      data-testid="posting-screen"
      onKeyDown={(event) => {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && canPost) {
          event.preventDefault();
          void post();
        }
      }}
    >
      <div className="erp-no-print">
        <PageHeader title={title} description={t('erp.post.lead')} />
      </div>
      <FormError message={general} />
      {reserved ? (
        <p className="notice" data-testid="reserved-notice">
          {t('erp.post.reservedNotice')}
        </p>
      ) : null}

      <section className="panel erp-posting-header erp-no-print">
        <fieldset className="erp-types" disabled={Boolean(saved) || locked}>
          <legend className="field-label">{t('erp.post.typeLabel')}</legend>
          <div className="erp-types-options">
            {DOCUMENT_TYPES.map((type) => (
              <label key={type} className={`erp-type${form.type === type ? ' erp-type-active' : ''}`}>
                <input
                  type="radio"
                  name="erp-type"
                  value={type}
                  checked={form.type === type}
                  onChange={() => {
                    change({ type });
                    setShort({});
                  }}
                  data-testid={`type-${type}`}
                />
                <span>{t(`erp.type.${type}`)}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="erp-header-fields">
          <Field label={warehouseLabel} name="warehouseId" error={errorOf('warehouseId')}>
            {(control) => (
              <WarehouseSelect
                value={form.warehouseId}
                warehouses={mine}
                disabled={locked}
                onChange={(warehouseId) => change({ warehouseId })}
                data-testid="doc-warehouse"
                {...control}
              />
            )}
          </Field>
          {form.type === 'transfer' ? (
            <Field
              label={t('erp.fields.targetWarehouse')}
              name="targetWarehouseId"
              error={errorOf('targetWarehouseId')}
            >
              {(control) => (
                <WarehouseSelect
                  value={form.targetWarehouseId}
                  warehouses={active.filter((w) => w.id !== form.warehouseId)}
                  disabled={locked}
                  onChange={(targetWarehouseId) => change({ targetWarehouseId })}
                  data-testid="doc-target-warehouse"
                  {...control}
                />
              )}
            </Field>
          ) : null}
          {form.type === 'write_off' ? (
            <Field label={t('erp.fields.reason')} name="reason" error={errorOf('reason')}>
              {(control) => (
                <select
                  className="input"
                  value={form.reason}
                  disabled={locked}
                  onChange={(event) => change({ reason: event.target.value as Reason | '' })}
                  data-testid="doc-reason"
                  {...control}
                >
                  <option value="">{t('erp.common.choose')}</option>
                  {REASONS.map((reason) => (
                    <option key={reason} value={reason}>
                      {t(`erp.reason.${reason}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
          {form.type === 'shipment' ? (
            <Field
              label={t('erp.fields.client')}
              name="clientId"
              error={errorOf('clientId')}
              hint={t('erp.post.clientHint')}
            >
              {(control) => (
                <ClientPicker
                  value={form.clientId}
                  disabled={locked}
                  onChange={(clientId) => change({ clientId })}
                  testId="doc-client"
                  {...control}
                />
              )}
            </Field>
          ) : null}
          <Field label={t('erp.fields.date')} name="date" error={errorOf('date')}>
            {(control) => (
              <DateInput
                value={form.date}
                disabled={locked}
                onChange={(date) => change({ date })}
                data-testid="doc-date"
                {...control}
              />
            )}
          </Field>
          <Field
            label={t('erp.fields.comment')}
            name="comment"
            error={errorOf('comment')}
            hint={form.type === 'write_off' ? t('erp.post.commentHint') : ''}
          >
            {(control) => (
              <input
                className="input"
                value={form.comment}
                disabled={locked}
                maxLength={1000}
                onChange={(event) => change({ comment: event.target.value })}
                data-testid="doc-comment"
                {...control}
              />
            )}
          </Field>
        </div>
      </section>

      <section className="panel erp-lines-panel erp-no-print" aria-labelledby="erp-lines-title">
        <h2 className="panel-title" id="erp-lines-title">
          {t('erp.post.linesTitle')}
        </h2>
        {locked ? null : (
          <div className="erp-entry" data-testid="line-entry">
            <div className="erp-entry-product">
              <ProductFinder
                handle={finder}
                label={t('erp.fields.product')}
                placeholder={t('erp.post.productPlaceholder')}
                onPick={pickProduct}
                testId="product-finder"
                message={form.warehouseId ? merged : t('erp.post.chooseWarehouseFirst')}
              />
            </div>
            <div className="erp-entry-picked" aria-live="polite">
              {entry ? (
                <>
                  <span className="erp-sku">{entry.product.sku}</span> <span>{entry.product.name}</span>
                  <span
                    className={`erp-available${
                      outgoing &&
                      entryBalance !== undefined &&
                      exceeds(entry.quantity.replace(',', '.'), entryBalance?.available ?? '0')
                        ? ' erp-available-over'
                        : ''
                    }`}
                    data-testid="entry-available"
                  >
                    {availabilityText(entry.product.id, entry.product.unit)}
                  </span>
                </>
              ) : null}
            </div>
            <div className="erp-entry-quantity">
              <label className="visually-hidden" htmlFor="erp-entry-quantity">
                {t('erp.fields.quantity')}
              </label>
              <div className="erp-quantity">
                <input
                  id="erp-entry-quantity"
                  ref={quantityInput}
                  className="input erp-number"
                  inputMode="decimal"
                  autoComplete="off"
                  placeholder={t('erp.post.quantityPlaceholder')}
                  disabled={!entry}
                  value={entry?.quantity ?? ''}
                  aria-invalid={Boolean(entryError)}
                  onChange={(event) => {
                    const quantity = event.target.value;
                    setEntry((previous) => (previous ? { ...previous, quantity } : previous));
                    setEntryError(null);
                  }}
                  onKeyDown={onEntryKey}
                  data-testid="entry-quantity"
                />
                <span className="erp-unit">{entry ? t(`erp.unitShort.${entry.product.unit}`) : ''}</span>
              </div>
              {entryError ? (
                <p className="field-error" data-testid="entry-error">
                  {entryError}
                </p>
              ) : null}
            </div>
            <Button icon="plus" onClick={() => commitEntry()} disabled={!entry} data-testid="entry-add">
              {t('erp.post.add')}
            </Button>
          </div>
        )}
        {form.type === 'count' && !locked ? (
          <div className="erp-count-fill">
            <Button
              onClick={() => void fillFromStock()}
              busy={busy === 'fill'}
              disabled={busy !== null || !form.warehouseId}
              data-testid="count-fill"
            >
              {t('erp.post.fillFromStock')}
            </Button>
            <span className="muted small">{t('erp.post.fillHint')}</span>
            {form.lines.length > 0 ? (
              <>
                <Button icon="print" onClick={() => window.print()} data-testid="count-print">
                  {t('erp.countSheet.print')}
                </Button>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={blindSheet}
                    onChange={(event) => setBlindSheet(event.target.checked)}
                    data-testid="count-blind"
                  />
                  <span>{t('erp.countSheet.blind')}</span>
                </label>
              </>
            ) : null}
          </div>
        ) : null}

        {form.lines.length === 0 ? (
          <p className={`erp-no-lines${errorOf('lines') ? ' field-error' : ' muted'}`} data-testid="no-lines">
            {errorOf('lines') ?? t('erp.post.noLines')}
          </p>
        ) : (
          <ol className="erp-lines" data-testid="lines">
            {form.lines.map((line, index) => {
              const balance = balanceOf(line.product.id);
              const shortLine = short[line.key];
              const quantityError = errorOf(`lines.${index}.quantity`) ?? errorOf(`lines.${index}.productId`);
              const priceError = priced ? errorOf(`lines.${index}.price`) : undefined;
              const liveProblem = line.quantity.trim() ? lineProblem(form, line) : null;
              const over =
                outgoing &&
                balance !== undefined &&
                !liveProblem &&
                exceeds(
                  documentBody({ ...form, lines: [line] }).lines[0]?.quantity ?? '0',
                  balance?.available ?? '0',
                );
              return (
                <li
                  key={line.key}
                  className={`erp-line${priced ? ' erp-line-priced' : ''}${shortLine ? ' erp-line-short' : ''}`}
                  data-testid={`line-${index}`}
                  data-short={shortLine ? 'true' : undefined}
                >
                  <span className="erp-line-no">{index + 1}</span>
                  <span className="erp-line-product">
                    <span className="erp-sku">{line.product.sku}</span>
                    <span className="erp-line-name">{line.product.name}</span>
                  </span>
                  <span className="erp-line-quantity">
                    <span className="erp-quantity">
                      <input
                        className="input erp-number"
                        inputMode="decimal"
                        autoComplete="off"
                        aria-label={`${t('erp.fields.quantity')} ${index + 1}`}
                        aria-invalid={Boolean(quantityError || liveProblem || shortLine)}
                        value={line.quantity}
                        disabled={locked}
                        onChange={(event) => updateLine(line.key, event.target.value)}
                        onKeyDown={(event) => {
                          if (event.key === 'Enter') {
                            event.preventDefault();
                            finder.current?.focus();
                          }
                        }}
                        data-testid={`line-${index}-quantity`}
                      />
                      <span className="erp-unit">{t(`erp.unitShort.${line.product.unit}`)}</span>
                    </span>
                  </span>
                  {priced ? (
                    <span className="erp-line-price">
                      <span className="erp-quantity">
                        <input
                          className="input erp-number"
                          inputMode="decimal"
                          autoComplete="off"
                          placeholder={t('erp.fields.price')}
                          aria-label={`${t('erp.fields.price')} ${index + 1}`}
                          aria-invalid={Boolean(priceError)}
                          value={prices[line.key] ?? ''}
                          disabled={locked}
                          onChange={(event) => updatePrice(index, line.key, event.target.value)}
                          onKeyDown={(event) => {
                            if (event.key === 'Enter') {
                              event.preventDefault();
                              finder.current?.focus();
                            }
                          }}
                          data-testid={`line-${index}-price`}
                        />
                        <span className="erp-unit">{t('erp.post.currency')}</span>
                      </span>
                    </span>
                  ) : null}
                  <span
                    className={`erp-available${over ? ' erp-available-over' : ''}`}
                    data-testid={`line-${index}-available`}
                  >
                    {over
                      ? t('erp.post.moreThanAvailable', {
                          // No balance row yet: nothing of it was ever in this warehouse.
                          quantity: formatQuantity(i18n, balance?.available ?? '0', line.product.unit),
                        })
                      : availabilityText(line.product.id, line.product.unit, line.quantity)}
                  </span>
                  {locked ? (
                    <span />
                  ) : (
                    <button
                      type="button"
                      className="icon-button erp-line-remove"
                      aria-label={t('erp.post.remove', { no: index + 1 })}
                      onClick={() => removeLine(index)}
                      data-testid={`line-${index}-remove`}
                    >
                      <span aria-hidden="true">×</span>
                    </button>
                  )}
                  {shortLine ? (
                    <p className="erp-line-message field-error" data-testid={`line-${index}-short`}>
                      {t('erp.post.short', {
                        requested: formatQuantity(i18n, shortLine.requested, line.product.unit),
                        available: formatQuantity(i18n, shortLine.available, line.product.unit),
                      })}
                    </p>
                  ) : quantityError || liveProblem ? (
                    <p className="erp-line-message field-error" data-testid={`line-${index}-error`}>
                      {quantityError ?? t(`erp.validation.${liveProblem ?? 'notNumber'}`)}
                    </p>
                  ) : priceError ? (
                    <p className="erp-line-message field-error" data-testid={`line-${index}-price-error`}>
                      {priceError}
                    </p>
                  ) : null}
                </li>
              );
            })}
          </ol>
        )}
        {form.lines.length > 0 ? (
          <p className="erp-totals" data-testid="totals">
            <span>{t('erp.post.lineCount', { count: formatNumber(form.lines.length) })}</span>
            {totals.length > 0 ? (
              <span>
                {t('erp.post.total')}: <strong>{totals.join(' · ')}</strong>
              </span>
            ) : null}
            {amount !== null ? (
              <span data-testid="totals-amount">
                {t('erp.fields.amount')}: <strong>{formatMoney(amount)}</strong>
              </span>
            ) : null}
          </p>
        ) : null}
      </section>

      {form.type === 'count' ? (
        <CountSheet
          number={saved?.number ?? null}
          warehouse={(() => {
            const w = active.find((x) => x.id === form.warehouseId);
            return w ? `${w.code} · ${w.name}` : '';
          })()}
          date={form.date}
          lines={form.lines}
          balanceOf={balanceOf}
          blind={blindSheet}
        />
      ) : null}

      <div className="erp-actions erp-no-print">
        {saved && canWrite && !reserved ? (
          <Button
            variant="ghost"
            icon="trash"
            onClick={() => setConfirmDelete(true)}
            disabled={busy !== null}
            data-testid="doc-delete"
          >
            {t('erp.post.delete')}
          </Button>
        ) : null}
        <span className="erp-actions-spacer" />
        {saved && form.type === 'shipment' && canPost ? (
          <Button
            onClick={() => void reserve(reserved)}
            busy={busy === 'reserve'}
            disabled={busy !== null}
            data-testid={reserved ? 'doc-release' : 'doc-reserve'}
          >
            {reserved ? t('erp.post.release') : t('erp.post.reserve')}
          </Button>
        ) : null}
        {form.type === 'write_off' && !locked ? (
          <StartProcess
            context="erp.writeOff"
            prepare={prepareApproval}
            onStarted={approvalStarted}
            label={t('erp.post.sendForApproval')}
          />
        ) : null}
        {canWrite && !reserved ? (
          <Button
            onClick={() => void saveDraft()}
            busy={busy === 'save'}
            disabled={busy !== null || (Boolean(saved) && !dirty && !entry)}
            data-testid="doc-save"
          >
            {t('erp.post.saveDraft')}
          </Button>
        ) : null}
        {canPost ? (
          <Button
            variant="primary"
            icon="check"
            onClick={() => void post()}
            busy={busy === 'post'}
            disabled={busy !== null}
            data-testid="doc-post"
          >
            {t('erp.post.post')}
          </Button>
        ) : null}
      </div>

      {confirmDelete && saved ? (
        <ConfirmDialog
          title={t('erp.post.delete')}
          confirmLabel={t('erp.post.delete')}
          variant="danger"
          busy={busy === 'delete'}
          onConfirm={() => void remove()}
          onCancel={() => setConfirmDelete(false)}
          testId="delete-dialog"
        >
          <p>{t('erp.post.deleteConfirm', { number: saved.number })}</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
