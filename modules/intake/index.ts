// The intake module (/api/intake): the public lead web form (rate-limited, bots refused) and
// the round-robin turns that hand leads to sales managers. The lead process in
// workflows/lead-intake.bpmn does the rest through CRM's actions.
import { defineModule } from '../../server/core/module.js';
import { actionRoute } from '../../server/http/action-route.js';
import { intakeMessages } from './messages.js';
import { up as intake0001 } from './migrations/0001-intake.js';
import { up as intake0002 } from './migrations/0002-submission-campaign.js';
import { pickInTurn } from './turns.js';
import { listSubmissions, submitLeadForm } from './web-form.js';

export const intakeModule = defineModule({
  name: 'intake',
  migrations: {
    '0001-intake': { up: intake0001 },
    '0002-submission-campaign': { up: intake0002 },
  },
  permissions: [
    { code: 'intake.submissions.read', grantTo: ['sales_head'] },
    // Processes pick as the system; people need not.
    { code: 'intake.turns.pick' },
  ],
  actions: [submitLeadForm, listSubmissions, pickInTurn],
  events: ['intake.lead.received'],
  messages: intakeMessages,
  routes(app) {
    actionRoute(app, {
      method: 'POST',
      url: '/lead-form',
      action: 'intake.submitLeadForm',
      status: 201,
      hidden: ['ip', 'userAgent'],
      extraInput: (req) => ({ ip: req.ip, userAgent: req.headers['user-agent']?.slice(0, 500) }),
    });
    actionRoute(app, { method: 'GET', url: '/submissions', action: 'intake.listSubmissions' });
  },
});
