// The BPM module (/api/bpm): a persistent BPMN 2.0 engine with FEEL (see README.md).

import fastifyMultipart from '@fastify/multipart';
import { z } from 'zod';
import { defineModule } from '../../server/core/module.js';
import { actionRoute } from '../../server/http/action-route.js';
import {
  cancelInstance,
  correlateMessage,
  PERMISSIONS,
  retryIncident,
  sendSignal,
  setVariables,
  startInstance,
} from './actions.js';
import { actionCatalog } from './catalog.js';
import { definitionStatistics, definitionXml, listDefinitions, xmlAttachment } from './definition-actions.js';
import { deploy } from './deployment.js';
import { startProcessesOnEvent } from './event-starts.js';
import { getForm } from './forms.js';
import { getInstance, listInstances } from './instance-read.js';
import { startBpmJobs } from './jobs.js';
import { bpmMessages } from './messages.js';
import { up as bpm0001 } from './migrations/0001-bpm.js';
import { up as bpm0002 } from './migrations/0002-subscription-element.js';
import { up as bpm0003 } from './migrations/0003-signal-subscriptions.js';
import { up as bpm0004 } from './migrations/0004-start-events.js';
import { up as bpm0005 } from './migrations/0005-call-activities.js';
import { up as bpm0006 } from './migrations/0006-task-forms.js';
import { up as bpm0007 } from './migrations/0007-task-subject.js';
import { decodeXml } from './model.js';
import { seedBpmDemo } from './seed-demo.js';
import { workBpmDemo } from './seed-demo-work.js';
import { broadcastThrownSignals } from './signals.js';
import { claimTask, completeTask, getTask, listTasks, unclaimTask } from './task-actions.js';
import { MAX_DEPLOYMENT_BYTES, multipartLimits, readDeployment } from './upload.js';

const ALL_ROLES = ['sales_head', 'sales_manager', 'warehouse', 'hr', 'employee'];

export const bpmModule = defineModule({
  name: 'bpm',
  migrations: {
    '0001-bpm': { up: bpm0001 },
    '0002-subscription-element': { up: bpm0002 },
    '0003-signal-subscriptions': { up: bpm0003 },
    '0004-start-events': { up: bpm0004 },
    '0005-call-activities': { up: bpm0005 },
    '0006-task-forms': { up: bpm0006 },
    '0007-task-subject': { up: bpm0007 },
  },
  permissions: [
    { code: PERMISSIONS.deploy },
    { code: PERMISSIONS.read, grantTo: ALL_ROLES },
    { code: PERMISSIONS.start, grantTo: ALL_ROLES },
    // Every instance's variables (anything a process carries): admins; others read their own.
    { code: PERMISSIONS.instancesRead },
    { code: PERMISSIONS.instancesReadOwn, grantTo: ALL_ROLES },
    { code: PERMISSIONS.manage },
    { code: PERMISSIONS.tasks, grantTo: ALL_ROLES },
    { code: PERMISSIONS.messages },
  ],
  actions: [
    deploy,
    listDefinitions,
    startInstance,
    getInstance,
    listInstances,
    setVariables,
    cancelInstance,
    listTasks,
    claimTask,
    completeTask,
    correlateMessage,
    sendSignal,
    retryIncident,
    getForm,
    getTask,
    actionCatalog,
    definitionXml,
    definitionStatistics,
    unclaimTask,
  ],
  events: [
    'bpm.instance.started',
    'bpm.instance.completed',
    'bpm.task.created',
    'bpm.task.completed',
    'bpm.signal.thrown',
  ],
  subscribers: [broadcastThrownSignals, startProcessesOnEvent],
  messages: bpmMessages,
  // Timers, retries and async continuations: claimed with SKIP LOCKED by every server process.
  background: ({ registry, log }) => startBpmJobs(registry, log),
  seedDemo: seedBpmDemo,
  seedDemoWork: workBpmDemo,
  async routes(app) {
    // Multipart only here (a .bpmn with its .form files), not for the whole API.
    await app.register(fastifyMultipart, { limits: multipartLimits });
    // BPMN arrives as XML; bytes are decoded by the encoding its declaration names.
    app.addContentTypeParser(
      ['application/xml', 'text/xml'],
      { parseAs: 'buffer', bodyLimit: MAX_DEPLOYMENT_BYTES },
      (_req, body, done) => done(null, decodeXml(body as Buffer)),
    );
    actionRoute(app, {
      method: 'POST',
      url: '/deployments',
      action: 'bpm.deploy',
      hidden: ['xml', 'forms', 'files'],
      extraInput: readDeployment,
    });
    actionRoute(app, { method: 'GET', url: '/definitions', action: 'bpm.listDefinitions' });
    actionRoute(app, {
      method: 'GET',
      url: '/definitions/:processId/xml',
      action: 'bpm.definitionXml',
      response: z.string(),
      respond: (output, _req, reply) => {
        const { processId, xml } = output as { processId: string; xml: string };
        reply.headers(xmlAttachment(processId));
        return xml;
      },
    });
    actionRoute(app, {
      method: 'GET',
      url: '/definitions/:processId/statistics',
      action: 'bpm.definitionStatistics',
    });
    actionRoute(app, { method: 'GET', url: '/forms/:formId', action: 'bpm.getForm' });
    actionRoute(app, { method: 'GET', url: '/action-catalog', action: 'bpm.actionCatalog' });
    actionRoute(app, { method: 'POST', url: '/instances', action: 'bpm.startInstance' });
    actionRoute(app, { method: 'GET', url: '/instances', action: 'bpm.listInstances' });
    actionRoute(app, { method: 'GET', url: '/instances/:id', action: 'bpm.getInstance' });
    actionRoute(app, { method: 'PUT', url: '/instances/:id/variables', action: 'bpm.setVariables' });
    actionRoute(app, {
      method: 'POST',
      url: '/instances/:id/cancel',
      action: 'bpm.cancelInstance',
      status: 200,
    });
    actionRoute(app, { method: 'GET', url: '/tasks', action: 'bpm.listTasks' });
    actionRoute(app, { method: 'GET', url: '/tasks/:id', action: 'bpm.getTask' });
    actionRoute(app, { method: 'POST', url: '/tasks/:id/claim', action: 'bpm.claimTask', status: 200 });
    actionRoute(app, { method: 'POST', url: '/tasks/:id/unclaim', action: 'bpm.unclaimTask', status: 200 });
    actionRoute(app, { method: 'POST', url: '/tasks/:id/complete', action: 'bpm.completeTask', status: 200 });
    actionRoute(app, { method: 'POST', url: '/messages', action: 'bpm.correlateMessage', status: 200 });
    actionRoute(app, { method: 'POST', url: '/signals', action: 'bpm.sendSignal', status: 200 });
    actionRoute(app, {
      method: 'POST',
      url: '/incidents/:id/retry',
      action: 'bpm.retryIncident',
      status: 200,
    });
  },
});
