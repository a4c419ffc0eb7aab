// Which records a task is about, read from the names of its variables: the shipped processes carry
// the ids of what they work on (`clientId`, `dealId`, `shipmentId`, `documentId`, `employeeId`).
import type { Variables } from './api';

export const ABOUT_KINDS = ['client', 'deal', 'document', 'employee'] as const;
export type AboutKind = (typeof ABOUT_KINDS)[number];
export type AboutRef = { kind: AboutKind; id: string };

/** Variable names that name a record; the order within a kind is the order cards are shown. */
const NAMES: Record<AboutKind, readonly string[]> = {
  client: ['clientId'],
  deal: ['dealId'],
  // A shipment is a stock document; a write-off's document is named documentId.
  document: ['shipmentId', 'documentId'],
  // The leave request carries the employee; the write-off approval the one who asked for it.
  employee: ['employeeId', 'requesterEmployeeId'],
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The records the variables name, one per id, clients first, then deals, documents, employees. */
export function aboutRefs(variables: Variables): AboutRef[] {
  const refs: AboutRef[] = [];
  for (const kind of ABOUT_KINDS)
    for (const name of NAMES[kind]) {
      const id = variables[name];
      if (typeof id !== 'string' || !UUID.test(id)) continue;
      if (!refs.some((ref) => ref.kind === kind && ref.id === id)) refs.push({ kind, id });
    }
  return refs;
}

/** Where each kind of record is read (the API) and shown (the page), as its own module does. */
export const ABOUT_PATHS: Record<AboutKind, { api(id: string): string; page(id: string): string }> = {
  client: {
    api: (id) => `/api/crm/clients/${encodeURIComponent(id)}`,
    page: (id) => `/crm/clients/${encodeURIComponent(id)}`,
  },
  deal: {
    api: (id) => `/api/crm/deals/${encodeURIComponent(id)}`,
    page: (id) => `/crm/deals?deal=${encodeURIComponent(id)}`,
  },
  document: {
    api: (id) => `/api/erp/stock-documents/${encodeURIComponent(id)}`,
    page: (id) => `/erp/documents/${encodeURIComponent(id)}`,
  },
  employee: {
    api: (id) => `/api/hr/employees/${encodeURIComponent(id)}`,
    page: (id) => `/hr/employees/${encodeURIComponent(id)}`,
  },
};
