// The CRM module (/api/crm): clients and contacts with duplicate checks, merge and one-box
// search, import and export; pipelines, deals and their stage rules; activities, "my day"
// and reminders; service requests (tickets); marketing campaigns and their effect; the client card with its timeline. See modules/crm/README.md.
import { defineModule } from '../../server/core/module.js';
import {
  createActivity,
  emitDueActivities,
  getMyDay,
  listActivities,
  listReminders,
  updateActivity,
} from './activities.js';
import { getSalesAnalytics } from './analytics.js';
import { createCampaign, deleteCampaign, getCampaign, listCampaigns, updateCampaign } from './campaigns.js';
import { getClientNames } from './client-names.js';
import {
  addContact,
  createClient,
  createLead,
  deleteContact,
  getClient,
  listClients,
  listRegions,
  saveRegion,
  updateClient,
  updateContact,
} from './clients.js';
import {
  createDeal,
  createPipeline,
  getBoard,
  getDeal,
  listDeals,
  listPipelines,
  moveDealStage,
  updateDeal,
  updatePipeline,
} from './deals.js';
import { commitImport, exportClients, previewImport, validateImport } from './import-export.js';
import { mergeClients } from './merge.js';
import { crmMessages } from './messages.js';
import { up as crm0001 } from './migrations/0001-crm.js';
import { up as crm0002 } from './migrations/0002-list-index.js';
import { up as crm0003 } from './migrations/0003-search-keys.js';
import { up as crm0004 } from './migrations/0004-search-words.js';
import { up as crm0005 } from './migrations/0005-list-sort-indexes.js';
import { up as crm0006 } from './migrations/0006-timeline-titles.js';
import { up as crm0007 } from './migrations/0007-deal-moves.js';
import { up as crm0008 } from './migrations/0008-tickets.js';
import { up as crm0009 } from './migrations/0009-campaigns.js';
import { crmRoutes } from './routes.js';
import { seedCrmDemo } from './seed-demo.js';
import { addTicketComment, changeTicketStatus } from './ticket-work.js';
import { createTicket, getTicket, listTickets, updateTicket } from './tickets.js';
import { addTimelineEntry, listTimeline, shipmentToTimeline } from './timeline.js';

const SALES = ['sales_head', 'sales_manager'];

export const crmModule = defineModule({
  name: 'crm',
  migrations: {
    '0001-crm': { up: crm0001 },
    '0002-list-index': { up: crm0002 },
    '0003-search-keys': { up: crm0003 },
    '0004-search-words': { up: crm0004 },
    '0005-list-sort-indexes': { up: crm0005 },
    '0006-timeline-titles': { up: crm0006 },
    '0007-deal-moves': { up: crm0007 },
    '0008-tickets': { up: crm0008 },
    '0009-campaigns': { up: crm0009 },
  },
  permissions: [
    { code: 'crm.clients.read', grantTo: SALES },
    { code: 'crm.clients.write', grantTo: SALES },
    { code: 'crm.clients.readAll', grantTo: ['sales_head'] },
    { code: 'crm.deals.read', grantTo: SALES },
    { code: 'crm.deals.write', grantTo: SALES },
    { code: 'crm.activities.write', grantTo: SALES },
    { code: 'crm.tickets.write', grantTo: SALES },
    { code: 'crm.campaigns.write', grantTo: ['sales_head'] },
    { code: 'crm.pipelines.write', grantTo: ['sales_head'] },
    { code: 'crm.settings.write', grantTo: ['sales_head'] },
    { code: 'crm.import', grantTo: SALES },
  ],
  actions: [
    listClients,
    createClient,
    createLead,
    updateClient,
    getClient,
    getClientNames,
    mergeClients,
    addContact,
    updateContact,
    deleteContact,
    listRegions,
    saveRegion,
    listTimeline,
    addTimelineEntry,
    previewImport,
    validateImport,
    commitImport,
    exportClients,
    listPipelines,
    createPipeline,
    updatePipeline,
    listDeals,
    getBoard,
    getSalesAnalytics,
    createDeal,
    getDeal,
    updateDeal,
    moveDealStage,
    listActivities,
    createActivity,
    updateActivity,
    getMyDay,
    listReminders,
    emitDueActivities,
    listTickets,
    createTicket,
    getTicket,
    updateTicket,
    changeTicketStatus,
    addTicketComment,
    listCampaigns,
    createCampaign,
    getCampaign,
    updateCampaign,
    deleteCampaign,
  ],
  events: [
    'crm.client.created',
    'crm.deal.stageChanged',
    'crm.activity.due',
    'crm.ticket.created',
    'crm.ticket.statusChanged',
  ],
  subscribers: [shipmentToTimeline],
  messages: crmMessages,
  routes: crmRoutes,
  seedDemo: seedCrmDemo,
});
