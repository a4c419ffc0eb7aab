// The `admin` module: users, roles and grants, and the audit log (/api/admin).
import { defineModule } from '../core/module.js';
import { actionRoute } from '../http/action-route.js';
import {
  createRole,
  createUser,
  getUser,
  getUserNames,
  listAudit,
  listPermissions,
  listRoles,
  listUsers,
  setRolePermissions,
  updateUser,
} from './admin-actions.js';
import { listAuditEntities } from './audit-entities.js';

export const adminModule = defineModule({
  name: 'admin',
  migrations: {},
  permissions: [
    // HR links employees to user accounts, so it reads users.
    { code: 'admin.users.read', grantTo: ['hr'] },
    { code: 'admin.users.write' },
    { code: 'admin.roles.read' },
    { code: 'admin.roles.write' },
    { code: 'admin.audit.read' },
  ],
  actions: [
    listUsers,
    getUser,
    getUserNames,
    createUser,
    updateUser,
    listRoles,
    listPermissions,
    createRole,
    setRolePermissions,
    listAudit,
    listAuditEntities,
  ],
  routes(app) {
    actionRoute(app, { method: 'GET', url: '/users', action: 'admin.listUsers' });
    actionRoute(app, { method: 'POST', url: '/users', action: 'admin.createUser' });
    actionRoute(app, { method: 'GET', url: '/users/:id', action: 'admin.getUser' });
    actionRoute(app, { method: 'PATCH', url: '/users/:id', action: 'admin.updateUser' });
    actionRoute(app, { method: 'GET', url: '/roles', action: 'admin.listRoles' });
    actionRoute(app, { method: 'POST', url: '/roles', action: 'admin.createRole' });
    actionRoute(app, { method: 'PUT', url: '/roles/:code/permissions', action: 'admin.setRolePermissions' });
    actionRoute(app, { method: 'GET', url: '/permissions', action: 'admin.listPermissions' });
    actionRoute(app, { method: 'GET', url: '/audit', action: 'admin.listAudit' });
    actionRoute(app, { method: 'GET', url: '/audit/entities', action: 'admin.listAuditEntities' });
  },
});
