import type { ComponentType } from 'react';
import type { IconName } from '../app/icons';
import type { MessageKey } from '../i18n/i18n';

/** A page of the app as the navigation and the router see it. */
export type ModuleEntry = {
  /** Where the page lives; paths below it ("/admin/users/42") belong to it too. */
  path: string;
  labelKey: MessageKey;
  /** One line on what the page is for, shown on the home page. */
  descriptionKey?: MessageKey;
  icon?: IconName;
  /** The permission needed to see the page; null for everyone signed in. */
  permission: string | null;
  /** The navigation section it is listed under; none for the top of the list. */
  section?: SectionId;
  /** Loaded on first visit, so each module's code (and AG Grid) stays out of the first page. */
  load: () => Promise<{ default: ComponentType }>;
};

/** Sections of the navigation, in the order they are shown. Later modules add theirs (crm, erp, hr, bpm). */
export const SECTIONS = [
  { id: 'crm', labelKey: 'crm.nav.section' },
  { id: 'erp', labelKey: 'erp.nav.section' },
  { id: 'hr', labelKey: 'hr.nav.section' },
  { id: 'bpm', labelKey: 'bpm.nav.section' },
  { id: 'admin', labelKey: 'nav.section.admin' },
] as const satisfies readonly {
  id: string;
  labelKey: MessageKey;
}[];

export type SectionId = (typeof SECTIONS)[number]['id'];

/**
 * Every page of the app. A new module adds its entries here, with the
 * permission its API needs, and a folder under web/src/modules/.
 */
export const MODULES: readonly ModuleEntry[] = [
  {
    path: '/',
    labelKey: 'nav.home',
    icon: 'home',
    permission: null,
    load: () => import('./home/home-page'),
  },
  {
    path: '/profile',
    labelKey: 'nav.profile',
    descriptionKey: 'home.cards.profile',
    icon: 'user',
    permission: null,
    load: () => import('./auth/profile-page'),
  },
  {
    path: '/crm/my-day',
    labelKey: 'crm.nav.myDay',
    descriptionKey: 'crm.home.myDay',
    icon: 'check',
    permission: 'crm.clients.read',
    section: 'crm',
    load: () => import('./crm/my-day-page'),
  },
  {
    path: '/crm/clients',
    labelKey: 'crm.nav.clients',
    descriptionKey: 'crm.home.clients',
    icon: 'users',
    permission: 'crm.clients.read',
    section: 'crm',
    load: () => import('./crm/clients-page'),
  },
  {
    path: '/crm/deals',
    labelKey: 'crm.nav.deals',
    descriptionKey: 'crm.home.deals',
    icon: 'refresh',
    permission: 'crm.deals.read',
    section: 'crm',
    load: () => import('./crm/deals-page'),
  },
  {
    path: '/crm/tickets',
    labelKey: 'crm.nav.tickets',
    descriptionKey: 'crm.home.tickets',
    icon: 'alert',
    permission: 'crm.clients.read',
    section: 'crm',
    load: () => import('./crm/tickets-page'),
  },
  {
    path: '/crm/campaigns',
    labelKey: 'crm.nav.campaigns',
    descriptionKey: 'crm.home.campaigns',
    icon: 'megaphone',
    permission: 'crm.clients.read',
    section: 'crm',
    load: () => import('./crm/campaigns-page'),
  },
  {
    path: '/crm/analytics',
    labelKey: 'crm.nav.analytics',
    descriptionKey: 'crm.home.analytics',
    icon: 'chart',
    permission: 'crm.deals.read',
    section: 'crm',
    load: () => import('./crm/analytics-page'),
  },
  {
    path: '/crm/import',
    labelKey: 'crm.nav.import',
    descriptionKey: 'crm.home.import',
    icon: 'plus',
    permission: 'crm.import',
    section: 'crm',
    load: () => import('./crm/import-page'),
  },
  {
    path: '/erp/documents/new',
    labelKey: 'erp.nav.post',
    descriptionKey: 'erp.home.post',
    icon: 'plus',
    permission: 'erp.documents.write',
    section: 'erp',
    load: () => import('./erp/posting-page'),
  },
  {
    path: '/erp/documents',
    labelKey: 'erp.nav.documents',
    descriptionKey: 'erp.home.documents',
    icon: 'log',
    permission: 'erp.stock.read',
    section: 'erp',
    load: () => import('./erp/documents-page'),
  },
  {
    path: '/erp/stock',
    labelKey: 'erp.nav.balances',
    descriptionKey: 'erp.home.balances',
    icon: 'check',
    permission: 'erp.stock.read',
    section: 'erp',
    load: () => import('./erp/balances-page'),
  },
  {
    path: '/erp/ledger',
    labelKey: 'erp.nav.ledger',
    descriptionKey: 'erp.home.ledger',
    icon: 'refresh',
    permission: 'erp.stock.read',
    section: 'erp',
    load: () => import('./erp/ledger-page'),
  },
  {
    path: '/erp/movements',
    labelKey: 'erp.nav.movements',
    descriptionKey: 'erp.home.movements',
    icon: 'log',
    permission: 'erp.stock.read',
    section: 'erp',
    load: () => import('./erp/movements-page'),
  },
  {
    path: '/erp/products',
    labelKey: 'erp.nav.products',
    descriptionKey: 'erp.home.products',
    icon: 'search',
    permission: 'erp.products.read',
    section: 'erp',
    load: () => import('./erp/products-page'),
  },
  {
    path: '/erp/reorder',
    labelKey: 'erp.nav.reorder',
    descriptionKey: 'erp.home.reorder',
    icon: 'alert',
    permission: 'erp.products.read',
    section: 'erp',
    load: () => import('./erp/reorder-page'),
  },
  {
    path: '/erp/warehouses',
    labelKey: 'erp.nav.warehouses',
    descriptionKey: 'erp.home.warehouses',
    icon: 'home',
    permission: 'erp.stock.read',
    section: 'erp',
    load: () => import('./erp/warehouses-page'),
  },
  {
    path: '/erp/import',
    labelKey: 'erp.nav.import',
    descriptionKey: 'erp.home.import',
    icon: 'plus',
    permission: 'erp.products.write',
    section: 'erp',
    load: () => import('./erp/product-import-page'),
  },
  {
    path: '/hr/org-chart',
    labelKey: 'hr.nav.orgChart',
    descriptionKey: 'hr.home.orgChart',
    icon: 'users',
    permission: 'hr.employees.read',
    section: 'hr',
    load: () => import('./hr/org-chart-page'),
  },
  {
    path: '/hr/employees',
    labelKey: 'hr.nav.employees',
    descriptionKey: 'hr.home.employees',
    icon: 'user',
    permission: 'hr.employees.read',
    section: 'hr',
    load: () => import('./hr/employees-page'),
  },
  {
    path: '/hr/absences',
    labelKey: 'hr.nav.absences',
    descriptionKey: 'hr.home.absences',
    icon: 'log',
    permission: 'hr.employees.read',
    section: 'hr',
    load: () => import('./hr/absences-page'),
  },
  {
    path: '/bpm/tasks',
    labelKey: 'bpm.nav.tasks',
    descriptionKey: 'bpm.home.tasks',
    icon: 'check',
    permission: 'bpm.tasks.work',
    section: 'bpm',
    load: () => import('./bpm/tasks-page'),
  },
  {
    path: '/bpm/processes',
    labelKey: 'bpm.nav.processes',
    descriptionKey: 'bpm.home.processes',
    icon: 'refresh',
    permission: 'bpm.definitions.deploy',
    section: 'bpm',
    load: () => import('./bpm/processes-page'),
  },
  {
    path: '/bpm/instances',
    labelKey: 'bpm.nav.instances',
    descriptionKey: 'bpm.home.instances',
    icon: 'log',
    // Everyone may see the instances they took part in; bpm.instances.read shows all of them.
    permission: 'bpm.instances.readOwn',
    section: 'bpm',
    load: () => import('./bpm/instances-page'),
  },
  {
    path: '/admin/users',
    labelKey: 'nav.users',
    descriptionKey: 'home.cards.users',
    icon: 'users',
    permission: 'admin.users.read',
    section: 'admin',
    load: () => import('./admin/users-page'),
  },
  {
    path: '/admin/roles',
    labelKey: 'nav.roles',
    descriptionKey: 'home.cards.roles',
    icon: 'shield',
    permission: 'admin.roles.read',
    section: 'admin',
    load: () => import('./admin/roles-page'),
  },
  {
    path: '/admin/audit',
    labelKey: 'nav.audit',
    descriptionKey: 'home.cards.audit',
    icon: 'log',
    permission: 'admin.audit.read',
    section: 'admin',
    load: () => import('./admin/audit-page'),
  },
];

/** Work that runs beside every page (reminders, counters) for the users with its permission. */
export type BackgroundEntry = {
  permission: string;
  load: () => Promise<{ default: ComponentType }>;
};

/** The shell mounts these once, inside the signed-in frame; a module adds its entry here. */
export const BACKGROUND: readonly BackgroundEntry[] = [
  // CRM reminders: a toast when one of the user's activities falls due.
  { permission: 'crm.clients.read', load: () => import('./crm/reminders') },
  // The inbox count beside "Tasks", polled while the tab is visible.
  { permission: 'bpm.tasks.work', load: () => import('./bpm/inbox-badge') },
];

/** A module's part of "Waiting for you" on the home page, for the users with its permission. */
export const ATTENTION: readonly BackgroundEntry[] = [
  { permission: 'bpm.tasks.work', load: () => import('./bpm/attention') },
  { permission: 'crm.clients.read', load: () => import('./crm/attention') },
  { permission: 'erp.documents.write', load: () => import('./erp/attention') },
];

/**
 * Where a record the audit log names opens (`<page>/<id>`), by the kind the server audits it
 * as; the page's own permission decides whether a reader gets the link. A module adds its kinds.
 */
export const RECORD_PAGES: Readonly<Record<string, string>> = {
  user: '/admin/users',
  role: '/admin/roles',
  client: '/crm/clients',
  ticket: '/crm/tickets',
  campaign: '/crm/campaigns',
  stockDocument: '/erp/documents',
  product: '/erp/products',
  warehouse: '/erp/warehouses',
  'hr.employee': '/hr/employees',
  bpm_instance: '/bpm/instances',
};
