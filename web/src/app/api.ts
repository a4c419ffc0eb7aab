import { getLocale } from '../i18n/i18n';

/** One problem with one field of a request, as the API reports it. */
export type Issue = { path: string; message: string };

export type ErrorDetails = {
  issues?: Issue[];
  retryAfterSeconds?: number;
  requestId?: string;
  [key: string]: unknown;
};

/** An error answered by the API (or `NETWORK` when no answer came). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetails;

  constructor(status: number, code: string, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  get issues(): Issue[] {
    return Array.isArray(this.details.issues) ? this.details.issues : [];
  }
}

/** A page of a list, as every list endpoint answers. */
export type Page<T> = { items: T[]; total: number };

/** What every list endpoint takes besides its own filters. */
export type ListQuery = {
  limit?: number;
  offset?: number;
  sort?: string;
  q?: string;
  [filter: string]: string | number | boolean | undefined;
};

let onUnauthenticated: (() => void) | null = null;

/** Called when a request answers 401 UNAUTHENTICATED, i.e. the session ended. */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

type RequestOptions = {
  signal?: AbortSignal;
  query?: ListQuery;
  /** An Idempotency-Key: a retry with the same key and body is answered once, never done twice. */
  idempotencyKey?: string;
};

function withQuery(path: string, query?: ListQuery): string {
  if (!query) return path;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON: a proxy or the network answered, not the API.
  }
  const error = isRecord(body) && isRecord(body.error) ? body.error : null;
  if (error && typeof error.code === 'string') {
    const message = typeof error.message === 'string' ? error.message : '';
    const details = isRecord(error.details) ? (error.details as ErrorDetails) : {};
    return new ApiError(response.status, error.code, message, details);
  }
  const code = response.status >= 500 ? 'INTERNAL' : response.status === 404 ? 'NOT_FOUND' : 'NETWORK';
  return new ApiError(response.status, code, '');
}

/**
 * Calls the API with the session cookie and the current language, and
 * answers the parsed JSON body (undefined for 204). Throws ApiError.
 *
 * @example const { user } = await api<{ user: User }>('POST', '/api/auth/login', { email, password })
 */
export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': getLocale() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', '');
  }
  if (!response.ok) {
    const error = await toApiError(response);
    if (error.status === 401 && error.code === 'UNAUTHENTICATED' && onUnauthenticated) onUnauthenticated();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Reads one page of a list endpoint (`Extra`: what the endpoint answers beside the page). */
export function fetchPage<T, Extra extends object = object>(
  path: string,
  query: ListQuery,
  signal?: AbortSignal,
): Promise<Page<T> & Extra> {
  return api<Page<T> & Extra>('GET', path, undefined, { query, signal });
}
