// The bench-only module: one action a service task calls that does nothing but succeed, so a
// bench measures the engine and not the work of some other module.
import { z } from 'zod';
import { actionsOf, defineModule } from '../../../server/core/module.js';

const defineAction = actionsOf<unknown>();

export const benchModule = defineModule({
  name: 'bench',
  migrations: {},
  permissions: [],
  actions: [
    defineAction({
      name: 'noop',
      description: 'Does nothing (the service task of bench:bpm).',
      permission: 'authenticated',
      write: true,
      input: z.object({}).passthrough(),
      output: z.object({}),
      async run(ctx) {
        ctx.noAudit('a bench no-op changes nothing');
        return {};
      },
    }),
  ],
});
