// Kysely types of the intake module's tables: web-form submissions and the round-robin pools.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type IntakeTables = {
  intake_submissions: {
    id: Generated<string>;
    name: string;
    company: string | null;
    phone: string | null;
    email: string | null;
    region: string | null;
    message: string | null;
    /** The page's utm_campaign: the code of the campaign that brought the visitor. */
    campaign: ColumnType<string | null, string | null | undefined, string | null>;
    ip: string;
    user_agent: string | null;
    created_at: Timestamp;
  };
  intake_turns: {
    pool: string;
    user_id: string;
    picks: Generated<number>;
    last_picked_at: Timestamp;
  };
};
