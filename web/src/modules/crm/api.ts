// The CRM API (/api/crm) as the web app uses it: the types of modules/crm/API.md and small readers.
import { ApiError, api, type ErrorDetails, fetchPage, type ListQuery, type Page } from '../../app/api';
import { getLocale } from '../../i18n/i18n';

export const CRM = '/api/crm';

export const CLIENT_KINDS = ['company', 'person'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];
export const CLIENT_STATUSES = ['lead', 'prospect', 'active', 'inactive'] as const;
export type ClientStatus = (typeof CLIENT_STATUSES)[number];
export const CURRENCIES = ['UZS', 'USD', 'EUR', 'RUB'] as const;
export type Currency = (typeof CURRENCIES)[number];
export const ACTIVITY_TYPES = ['call', 'meeting', 'email', 'task', 'note'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export type NextActivity = { id: string; type: ActivityType; subject: string; dueAt: string | null };

export type Client = {
  id: string;
  kind: ClientKind;
  name: string;
  taxId: string | null;
  region: string | null;
  industry: string | null;
  segment: string | null;
  source: string | null;
  status: ClientStatus;
  ownerId: string | null;
  ownerName: string | null;
  tags: string[];
  phones: string[];
  emails: string[];
  website: string | null;
  address: string | null;
  notes: string | null;
  /** The campaign that brought the client (modules/crm/API.md, "Marketing campaigns"). */
  campaignId: string | null;
  campaignName: string | null;
  createdAt: string;
  updatedAt: string;
  nextActivity: NextActivity | null;
};

export type Contact = {
  id: string;
  clientId: string;
  name: string;
  position: string | null;
  phones: string[];
  emails: string[];
  telegram: string | null;
};

export type DealLine = {
  id?: string;
  productId: string;
  productName: string | null;
  quantity: string;
  price: string;
};

export type DealSummary = {
  id: string;
  clientId: string;
  clientName: string;
  pipelineId: string;
  stage: string;
  title: string;
  amount: string;
  currency: Currency;
  expectedCloseDate: string | null;
  ownerId: string;
  ownerName: string;
  probability: number;
  lostReason: string | null;
  /** The campaign the deal counts for: its client's unless chosen otherwise. */
  campaignId: string | null;
  campaignName: string | null;
  createdAt: string;
  updatedAt: string;
};

export type Deal = DealSummary & { lines: DealLine[] };

export type StageKind = 'open' | 'won' | 'lost';
export type Stage = {
  code: string;
  name: string;
  order: number;
  probability: number;
  responsibleId: string | null;
  kind: StageKind;
};
export type Pipeline = { id: string; name: string; isDefault: boolean; stages: Stage[] };

export type BoardColumn = {
  stage: string;
  deals: DealSummary[];
  count: number;
  totalAmount: Partial<Record<Currency, string>>;
};

export type Activity = {
  id: string;
  type: ActivityType;
  subject: string;
  body: string | null;
  clientId: string | null;
  clientName: string | null;
  dealId: string | null;
  dealTitle: string | null;
  dueAt: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  done: boolean;
  doneAt: string | null;
  result: string | null;
  createdAt: string;
};

export type TimelineKind =
  | 'activity'
  | 'stageChange'
  | 'shipment'
  | 'process'
  | 'note'
  | 'created'
  | 'merged'
  | 'ticket';
export type TimelineEntry = {
  id: string;
  at: string;
  kind: TimelineKind;
  title: string;
  detail: string | null;
  actorName: string | null;
  link: { type: string; id: string } | null;
};

export type ClientCard = {
  client: Client;
  contacts: Contact[];
  deals: DealSummary[];
  timeline: TimelineEntry[];
};

export type Region = { code: string; name: string };
export type Duplicate = { id: string; name: string; matchedOn: 'taxId' | 'phone' | 'email' };

export type ImportPreview = {
  importId: string;
  columns: string[];
  sample: string[][];
  suggestedMapping: Record<string, string | null>;
  rows: number;
};
export type ImportValidation = {
  rows: number;
  valid: number;
  errors: { row: number; field: string; message: string }[];
};

/** A clients page; `totalExact: false` means `total` is a lower bound (the server stops counting). */
export type ClientPage = Page<Client> & { totalExact: boolean };

export const listClients = (query: ListQuery, signal?: AbortSignal) =>
  api<ClientPage>('GET', `${CRM}/clients`, undefined, { query, signal });

export const getClientCard = (id: string, signal?: AbortSignal) =>
  api<ClientCard>('GET', `${CRM}/clients/${encodeURIComponent(id)}`, undefined, { signal });

export const listDeals = (query: ListQuery, signal?: AbortSignal) =>
  fetchPage<DealSummary>(`${CRM}/deals`, query, signal);

export const getPipelines = (signal?: AbortSignal) =>
  api<Page<Pipeline> | { items: Pipeline[] }>('GET', `${CRM}/pipelines`, undefined, { signal }).then(
    (answer) => answer.items,
  );

export const getRegions = (signal?: AbortSignal) =>
  api<{ items: Region[] }>('GET', `${CRM}/regions`, undefined, { signal }).then((answer) => answer.items);

export const moveDealStage = (dealId: string, stage: string, lostReason?: string) =>
  api<Deal>('POST', `${CRM}/deals/${encodeURIComponent(dealId)}/stage`, {
    stage,
    ...(lostReason ? { lostReason } : {}),
  });

export const updateActivity = (id: string, patch: Partial<Pick<Activity, 'done' | 'result'>>) =>
  api<Activity>('PATCH', `${CRM}/activities/${encodeURIComponent(id)}`, patch);

/** The query string of a list's filters, for the export link. */
export function exportHref(format: 'csv' | 'xlsx', filters: Record<string, string>): string {
  const search = new URLSearchParams({ format });
  for (const [key, value] of Object.entries(filters)) if (value) search.set(key, value);
  return `${CRM}/clients/export?${search.toString()}`;
}

/**
 * Uploads an import file as multipart/form-data: the bytes go as they are, not a third
 * larger as base64 in JSON. Errors arrive as the API's (translated) ApiError.
 */
export async function uploadImport(file: File): Promise<ImportPreview> {
  const form = new FormData();
  form.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetch(`${CRM}/clients/import/preview`, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Accept-Language': getLocale() },
      body: form,
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'NETWORK', '');
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return body as ImportPreview;
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (error && typeof error.code === 'string') {
    const details = error.details && typeof error.details === 'object' ? (error.details as ErrorDetails) : {};
    throw new ApiError(
      response.status,
      error.code,
      typeof error.message === 'string' ? error.message : '',
      details,
    );
  }
  throw new ApiError(response.status, response.status >= 500 ? 'INTERNAL' : 'NETWORK', '');
}
