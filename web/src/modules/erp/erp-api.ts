// What the ERP pages share: requests that carry an Idempotency-Key, errors spread over
// field paths such as "lines.2.quantity", and small loaders (warehouses, balances).
import { useEffect, useState } from 'react';
import { ApiError, api, fetchPage } from '../../app/api';
import { errorMessage } from '../../app/errors';
import type { User } from '../../app/types';
import { hasKey, type I18n } from '../../i18n/i18n';
import type { Balance, Product, ShortLine, Unit, Warehouse } from './types';

/**
 * A new key for one attempt to post. `crypto.randomUUID` exists only on secure pages
 * (https or localhost); a plain-http address on the office network still gets a v4 UUID.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Like `api`, with an Idempotency-Key header: a retry of the same attempt (same key, same
 * body) is answered with the first result and never posts twice.
 */
export function apiIdempotent<T>(method: string, path: string, body: unknown, key: string): Promise<T> {
  return api<T>(method, path, body, { idempotencyKey: key });
}

/** Whether the server answered and refused: the attempt is over, a new one needs a new key. */
export function isFinalRefusal(error: unknown): boolean {
  return error instanceof ApiError && error.status >= 400 && error.status < 500;
}

/** Our sentence for an ERP error code (`erp.errors.<CODE>`), else the app's usual one. */
export function erpErrorMessage(error: unknown, i18n: I18n): string {
  if (error instanceof ApiError) {
    const key = `erp.errors.${error.code}`;
    if (hasKey(key)) return i18n.t(key);
  }
  return errorMessage(error, i18n);
}

/**
 * An error spread over a form by the full path of each issue ("lines.2.quantity" stays
 * itself); `codeFields` puts codes such as SKU_TAKEN next to their field; the rest is general.
 */
export function spreadError(
  error: unknown,
  i18n: I18n,
  codeFields: Record<string, string> = {},
): { fields: Record<string, string>; general: string | null } {
  const fields: Record<string, string> = {};
  if (error instanceof ApiError) {
    for (const issue of error.issues) {
      if (!fields[issue.path]) fields[issue.path] = issue.message;
    }
    const field = codeFields[error.code];
    if (field) fields[field] = erpErrorMessage(error, i18n);
    if (Object.keys(fields).length > 0) return { fields, general: null };
  }
  return { fields, general: erpErrorMessage(error, i18n) };
}

/** The short lines of a 409 STOCK_INSUFFICIENT, or none. */
export function shortLines(error: unknown): ShortLine[] {
  if (!(error instanceof ApiError) || error.code !== 'STOCK_INSUFFICIENT') return [];
  const lines = error.details.lines;
  return Array.isArray(lines) ? (lines.filter(isRecord) as unknown as ShortLine[]) : [];
}

/** Every warehouse (a company has a handful), by code; reloaded when `token` changes. */
const LAST_WAREHOUSE = 'onebox.erp.warehouse';

/** The warehouse this browser last posted in: the next document starts there. */
export function rememberedWarehouse(): string {
  try {
    return localStorage.getItem(LAST_WAREHOUSE) ?? '';
  } catch {
    return '';
  }
}

export function rememberWarehouse(id: string): void {
  try {
    localStorage.setItem(LAST_WAREHOUSE, id);
  } catch {
    // Not remembered: the next document asks again.
  }
}

export function useWarehouses(token = 0): { warehouses: Warehouse[]; loaded: boolean } {
  const [state, setState] = useState<{ warehouses: Warehouse[]; loaded: boolean }>({
    warehouses: [],
    loaded: false,
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: `token` asks for a fresh list.
  useEffect(() => {
    const controller = new AbortController();
    fetchPage<Warehouse>('/api/erp/warehouses', { limit: 500, sort: 'code' }, controller.signal)
      .then((page) => setState({ warehouses: page.items, loaded: true }))
      .catch(() => {
        if (!controller.signal.aborted) setState((previous) => ({ ...previous, loaded: true }));
      });
    return () => controller.abort();
  }, [token]);
  return state;
}

/** The balance of one product in one warehouse; a product never received there has none. */
export async function fetchBalance(productId: string, warehouseId: string): Promise<Balance | null> {
  const page = await fetchPage<Balance>('/api/erp/stock-balances', { productId, warehouseId, limit: 1 });
  return page.items[0] ?? null;
}

/** Loads one record for a side panel ("new" or none loads nothing). */
export function useRecord<T>(path: string | null, i18n: I18n) {
  const [state, setState] = useState<{ record: T | null; error: string | null; loading: boolean }>({
    record: null,
    error: null,
    loading: false,
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: i18n only words the error.
  useEffect(() => {
    if (!path) {
      setState({ record: null, error: null, loading: false });
      return;
    }
    const controller = new AbortController();
    setState({ record: null, error: null, loading: true });
    api<T>('GET', path, undefined, { signal: controller.signal })
      .then((record) => setState({ record, error: null, loading: false }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ record: null, error: erpErrorMessage(error, i18n), loading: false });
      });
    return () => controller.abort();
  }, [path]);
  return state;
}

/** A product as the posting screen keeps it on a line. */
export type LineProduct = Pick<Product, 'id' | 'sku' | 'name' | 'unit'>;

/** "12,5 kg" in the current language. */
export function formatQuantity(
  i18n: I18n,
  value: string | null | undefined,
  unit?: Unit,
  options: { signed?: boolean } = {},
): string {
  if (value === null || value === undefined || value === '') return '';
  const number = i18n.formatNumber(value, {
    maximumFractionDigits: 3,
    ...(options.signed ? { signDisplay: 'exceptZero' as const } : {}),
  });
  return unit ? `${number} ${i18n.t(`erp.unitShort.${unit}`)}` : number;
}

/** Whether a user may post in a warehouse: any when it names no keepers, else its keepers and admins. */
export function mayPostIn(
  warehouse: Pick<Warehouse, 'keepers'>,
  user: Pick<User, 'id' | 'roles'> | null,
): boolean {
  if (warehouse.keepers.length === 0) return true;
  if (!user) return false;
  return user.roles.includes('admin') || warehouse.keepers.some((k) => k.id === user.id);
}
