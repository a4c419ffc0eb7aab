import type { Transaction } from 'kysely';
import { type ActionContext, actionsOf } from '../../../server/core/module.js';
import type { ErpTables } from '../schema.js';

/** Declares an action of the ERP module; `ctx.db` knows the module's own tables. */
export const defineAction = actionsOf<ErpTables>();

export type Trx = Transaction<ErpTables>;

/** An ERP action's context. */
export type Ctx = ActionContext<ErpTables>;
