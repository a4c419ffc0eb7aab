// The HR module (/api/hr): departments as a tree, positions, employees with dated history and
// personal data, absences with a vacation allowance, and the lookups processes assign work with.
import { defineModule } from '../../server/core/module.js';
import { actionRoute } from '../../server/http/action-route.js';
import {
  approveAbsence,
  cancelAbsence,
  getAbsence,
  getVacationBalance,
  listAbsences,
  recordAbsence,
  rejectAbsence,
  requestAbsence,
  setVacationAllowance,
} from './absences.js';
import { getManager, resolveCandidateGroup } from './assignment.js';
import {
  createDepartment,
  deleteDepartment,
  getDepartment,
  getOrgChart,
  listDepartments,
  updateDepartment,
} from './departments.js';
import {
  createEmployee,
  createPosition,
  getEmployee,
  listEmployees,
  listPositions,
  updateEmployee,
} from './employees.js';
import { changeSalary, dismissEmployee, listEmployeeHistory, transferEmployee } from './history.js';
import { hrMessages } from './messages.js';
import { up as hr0001 } from './migrations/0001-hr.js';
import { seedHrDemo } from './seed-demo.js';

const ALL_ROLES = ['sales_head', 'sales_manager', 'warehouse', 'hr', 'employee'];

export const hrModule = defineModule({
  name: 'hr',
  migrations: { '0001-hr': { up: hr0001 } },
  permissions: [
    { code: 'hr.employees.read', grantTo: ALL_ROLES },
    { code: 'hr.employees.write', grantTo: ['hr'] },
    { code: 'hr.departments.write', grantTo: ['hr'] },
    { code: 'hr.absences.write', grantTo: ['hr'] },
    { code: 'hr.personal.read', grantTo: ['hr'] },
    { code: 'hr.personal.write', grantTo: ['hr'] },
  ],
  actions: [
    listDepartments,
    getDepartment,
    createDepartment,
    updateDepartment,
    deleteDepartment,
    getOrgChart,
    listPositions,
    createPosition,
    listEmployees,
    getEmployee,
    createEmployee,
    updateEmployee,
    listEmployeeHistory,
    transferEmployee,
    changeSalary,
    dismissEmployee,
    listAbsences,
    getAbsence,
    requestAbsence,
    recordAbsence,
    approveAbsence,
    rejectAbsence,
    cancelAbsence,
    getVacationBalance,
    setVacationAllowance,
    getManager,
    resolveCandidateGroup,
  ],
  events: [
    'hr.employee.hired',
    'hr.employee.transferred',
    'hr.employee.dismissed',
    'hr.absence.requested',
    'hr.absence.approved',
  ],
  messages: hrMessages,
  seedDemo: seedHrDemo,
  routes(app) {
    actionRoute(app, { method: 'GET', url: '/org-chart', action: 'hr.getOrgChart' });
    actionRoute(app, { method: 'GET', url: '/departments', action: 'hr.listDepartments' });
    actionRoute(app, { method: 'POST', url: '/departments', action: 'hr.createDepartment' });
    actionRoute(app, { method: 'GET', url: '/departments/:id', action: 'hr.getDepartment' });
    actionRoute(app, { method: 'PATCH', url: '/departments/:id', action: 'hr.updateDepartment' });
    actionRoute(app, { method: 'DELETE', url: '/departments/:id', action: 'hr.deleteDepartment' });
    actionRoute(app, { method: 'GET', url: '/positions', action: 'hr.listPositions' });
    actionRoute(app, { method: 'POST', url: '/positions', action: 'hr.createPosition' });
    actionRoute(app, { method: 'GET', url: '/employees', action: 'hr.listEmployees' });
    actionRoute(app, { method: 'POST', url: '/employees', action: 'hr.createEmployee' });
    actionRoute(app, { method: 'GET', url: '/employees/:id', action: 'hr.getEmployee', hidden: ['userId'] });
    actionRoute(app, { method: 'PATCH', url: '/employees/:id', action: 'hr.updateEmployee' });
    actionRoute(app, { method: 'GET', url: '/employees/:id/history', action: 'hr.listEmployeeHistory' });
    actionRoute(app, {
      method: 'POST',
      url: '/employees/:id/transfer',
      action: 'hr.transferEmployee',
      status: 200,
    });
    actionRoute(app, {
      method: 'POST',
      url: '/employees/:id/salary',
      action: 'hr.changeSalary',
      status: 200,
    });
    actionRoute(app, {
      method: 'POST',
      url: '/employees/:id/dismiss',
      action: 'hr.dismissEmployee',
      status: 200,
    });
    actionRoute(app, {
      method: 'GET',
      url: '/employees/:id/manager',
      action: 'hr.getManager',
      hidden: ['employeeId'],
      extraInput: (req) => ({ employeeId: (req.params as { id: string }).id }),
    });
    actionRoute(app, {
      method: 'GET',
      url: '/employees/:id/vacation-balance',
      action: 'hr.getVacationBalance',
    });
    actionRoute(app, {
      method: 'PUT',
      url: '/employees/:id/vacation-allowance',
      action: 'hr.setVacationAllowance',
    });
    actionRoute(app, { method: 'GET', url: '/absences', action: 'hr.listAbsences' });
    actionRoute(app, { method: 'POST', url: '/absences', action: 'hr.requestAbsence' });
    actionRoute(app, { method: 'POST', url: '/absences/record', action: 'hr.recordAbsence' });
    actionRoute(app, { method: 'GET', url: '/absences/:id', action: 'hr.getAbsence' });
    actionRoute(app, {
      method: 'POST',
      url: '/absences/:id/approve',
      action: 'hr.approveAbsence',
      status: 200,
    });
    actionRoute(app, {
      method: 'POST',
      url: '/absences/:id/reject',
      action: 'hr.rejectAbsence',
      status: 200,
    });
    actionRoute(app, {
      method: 'POST',
      url: '/absences/:id/cancel',
      action: 'hr.cancelAbsence',
      status: 200,
    });
    actionRoute(app, { method: 'GET', url: '/candidate-groups/:group', action: 'hr.resolveCandidateGroup' });
  },
});
