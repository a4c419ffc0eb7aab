import type { Migration } from 'kysely';
import * as accounts from './0001-accounts.js';
import * as auditAndOutbox from './0002-audit-and-outbox.js';
import * as idempotency from './0003-idempotency.js';
import * as statementHold from './0004-statement-hold.js';

export const coreMigrations: Record<string, Migration> = {
  '0001-accounts': accounts,
  '0002-audit-and-outbox': auditAndOutbox,
  '0003-idempotency': idempotency,
  '0004-statement-hold': statementHold,
};
