import type { ActionContext } from '../../server/core/module.js';

export async function seedCrmDemo(_ctx: ActionContext): Promise<void> {}
