// Kysely types of the CRM module's tables. Money is numeric(18,2) and quantities
// numeric(18,3): decimal strings on both backends. Phones, e-mails and tags are jsonb arrays.
import type { ColumnType, Generated } from 'kysely';
import type { Locale } from '../../server/core/locale.js';
import type { CampaignAudience, CampaignChannel, CampaignStatus } from './campaign-schema.js';
import type {
  TicketChannel,
  TicketEventKind,
  TicketKind,
  TicketPriority,
  TicketStatus,
} from './ticket-schema.js';

type Decimal = ColumnType<string, string | number, string | number>;
type Json<T> = ColumnType<T, string, string>;
type DateOnly = ColumnType<string | null, string | null | undefined, string | null>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type TimestampNull = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type ClientKind = 'company' | 'person';
export type ClientStatus = 'lead' | 'prospect' | 'active' | 'inactive';
export type Currency = 'UZS' | 'USD' | 'EUR' | 'RUB';
export type StageKind = 'open' | 'won' | 'lost';
export type ActivityType = 'call' | 'meeting' | 'email' | 'task' | 'note';
export type TimelineKind =
  | 'activity'
  | 'stageChange'
  | 'shipment'
  | 'process'
  | 'note'
  | 'created'
  | 'merged'
  | 'ticket';

export type CrmTables = {
  crm_regions: { code: string; name: string; sort: Generated<number> };
  crm_clients: {
    id: Generated<string>;
    kind: ClientKind;
    name: string;
    tax_id: string | null;
    region: string | null;
    industry: string | null;
    segment: string | null;
    source: string | null;
    status: ClientStatus;
    owner_id: string | null;
    tags: Json<string[]>;
    phones: Json<string[]>;
    emails: Json<string[]>;
    website: string | null;
    address: string | null;
    notes: string | null;
    /** The campaign that brought the client (first touch), if any. */
    campaign_id: ColumnType<string | null, string | null | undefined, string | null>;
    /** Lower-cased name, tax id, phones, e-mails and contacts: what one search box finds. */
    search_text: string;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  crm_contacts: {
    id: Generated<string>;
    client_id: string;
    name: string;
    position: string | null;
    phones: Json<string[]>;
    emails: Json<string[]>;
    telegram: string | null;
    created_at: Generated<Date>;
  };
  crm_pipelines: {
    id: Generated<string>;
    name: string;
    is_default: boolean;
    created_at: Generated<Date>;
  };
  crm_stages: {
    pipeline_id: string;
    code: string;
    name: string;
    sort: number;
    probability: number;
    responsible_id: string | null;
    kind: StageKind;
  };
  crm_deals: {
    id: Generated<string>;
    client_id: string;
    pipeline_id: string;
    stage: string;
    title: string;
    amount: Decimal;
    currency: Currency;
    expected_close_date: DateOnly;
    owner_id: string;
    lost_reason: string | null;
    /** The campaign the deal counts for: the client's unless set otherwise. */
    campaign_id: ColumnType<string | null, string | null | undefined, string | null>;
    /** When it entered a won or lost stage; null while open. */
    closed_at: TimestampNull;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  /** Every stage a deal entered, from its opening (`from_stage` null) on: the funnel's data. */
  crm_deal_moves: {
    id: Generated<string>;
    deal_id: string;
    at: Generated<Date>;
    from_stage: string | null;
    to_stage: string;
    actor_id: string | null;
  };
  crm_deal_lines: {
    id: Generated<string>;
    deal_id: string;
    line_no: number;
    product_id: string;
    product_name: string | null;
    quantity: Decimal;
    price: Decimal;
  };
  crm_activities: {
    id: Generated<string>;
    type: ActivityType;
    subject: string;
    body: string | null;
    client_id: string | null;
    deal_id: string | null;
    due_at: TimestampNull;
    assignee_id: string | null;
    done: boolean;
    done_at: TimestampNull;
    result: string | null;
    /** When `crm.activity.due` was emitted for it: once per activity. */
    due_notified_at: TimestampNull;
    created_by: string | null;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  crm_tickets: {
    id: Generated<string>;
    number: string;
    client_id: string;
    contact_id: string | null;
    deal_id: string | null;
    kind: TicketKind;
    channel: TicketChannel;
    priority: TicketPriority;
    status: Generated<TicketStatus>;
    subject: string;
    description: string | null;
    assignee_id: string | null;
    due_at: Timestamp;
    /** When someone first answered: the request left "new" or got its first comment. */
    responded_at: TimestampNull;
    resolved_at: TimestampNull;
    closed_at: TimestampNull;
    resolution: string | null;
    rating: number | null;
    revision: Generated<number>;
    created_by: string | null;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  crm_campaigns: {
    id: Generated<string>;
    /** Lower-case letters, digits, - and _: what a web form or link names it by (utm_campaign). */
    code: string;
    name: string;
    channel: CampaignChannel;
    status: Generated<CampaignStatus>;
    starts_on: DateOnly;
    ends_on: DateOnly;
    budget: ColumnType<string | null, string | null | undefined, string | null>;
    currency: Currency;
    owner_id: string | null;
    /** The clients it is aimed at, as the client list's filters. */
    audience: Json<CampaignAudience>;
    description: string | null;
    revision: Generated<number>;
    created_by: string | null;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  crm_ticket_events: {
    id: Generated<string>;
    ticket_id: string;
    at: Generated<Date>;
    kind: TicketEventKind;
    from_value: string | null;
    to_value: string | null;
    text: string | null;
    actor_id: string | null;
    actor_name: string | null;
  };
  crm_timeline: {
    id: Generated<string>;
    client_id: string;
    at: Timestamp;
    kind: TimelineKind;
    title: string;
    /** The title in each language a process gave it in (`{ uz, ru, en }`); null for one text. */
    titles: ColumnType<Partial<Record<Locale, string>> | null, string | null, string | null>;
    detail: string | null;
    actor_name: string | null;
    link_type: string | null;
    link_id: string | null;
    /** Makes an entry from an event idempotent: `erp.shipment.posted:<event id>`. */
    source_key: string | null;
  };
  /** Normalised names, tax ids, phone digits and e-mails of clients and their contacts: prefix search. */
  crm_search_keys: { client_id: string; key: string };
  /** The words of those names: typos are corrected against them. */
  crm_search_words: { word: string };
  crm_imports: {
    id: Generated<string>;
    created_by: string | null;
    file_name: string;
    columns: Json<string[]>;
    rows: Json<string[][]>;
    status: Generated<'open' | 'committed'>;
    created_at: Generated<Date>;
  };
  /** Read-only: the core's users, for owner and assignee names (never written here). */
  core_users: { id: string; name: string; active: boolean };
};
