import { type FormEvent, useEffect, useState } from 'react';
import { api, type Page } from '../../app/api';
import { useSession } from '../../app/session';
import type { User } from '../../app/types';
import { Button, Drawer, FormError, TextField } from '../../app/ui';
import { useFormErrors } from '../../app/use-form-errors';
import { useI18n } from '../../i18n/i18n';
import { type Employee, HR } from './api';
import { SelectField, treeOptions, useEmployeeOptions, useOrgNodes } from './form-parts';

const FIELDS = [
  'firstName',
  'lastName',
  'middleName',
  'departmentId',
  'position',
  'managerId',
  'userId',
  'hireDate',
  'status',
  'workPhone',
  'workEmail',
  'birthDate',
  'passport',
  'pinfl',
  'address',
  'salary',
];

/** User accounts for the link picker; only for those who may read users. */
function useUserOptions(enabled: boolean) {
  const [users, setUsers] = useState<User[]>([]);
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    api<Page<User>>('GET', '/api/admin/users?limit=500&sort=name&active=true', undefined, {
      signal: controller.signal,
    })
      .then((page) => setUsers(page.items))
      .catch(() => {
        // No picker then; the link can be made later.
      });
    return () => controller.abort();
  }, [enabled]);
  return users;
}

function usePositions(): string[] {
  const [names, setNames] = useState<string[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    api<Page<{ name: string }>>('GET', `${HR}/positions?limit=500`, undefined, { signal: controller.signal })
      .then((page) => setNames(page.items.map((p) => p.name)))
      .catch(() => {
        // Free text still works.
      });
    return () => controller.abort();
  }, []);
  return names;
}

type Props = {
  employee: Employee | null;
  /** The department a new employee starts in. */
  departmentId?: string;
  onClose(): void;
  onSaved(employee: Employee, created: boolean): void;
};

/** The side panel to hire an employee or change one's data (not department, position or salary). */
export function EmployeeForm({ employee, departmentId, onClose, onSaved }: Props) {
  const { t } = useI18n();
  const { can } = useSession();
  const errors = useFormErrors();
  const creating = employee === null;
  const personal = can('hr.personal.write');
  const { nodes } = useOrgNodes();
  const managers = useEmployeeOptions().filter((o) => o.value !== employee?.id);
  const users = useUserOptions(can('admin.users.read'));
  const positions = usePositions();
  const [values, setValues] = useState<Record<string, string>>(() => ({
    firstName: employee?.firstName ?? '',
    lastName: employee?.lastName ?? '',
    middleName: employee?.middleName ?? '',
    departmentId: employee?.departmentId ?? departmentId ?? '',
    position: employee?.position ?? '',
    managerId: employee?.managerId ?? '',
    userId: employee?.userId ?? '',
    hireDate: employee?.hireDate ?? '',
    status: employee?.status === 'on_leave' ? 'on_leave' : 'active',
    workPhone: employee?.workPhone ?? '',
    workEmail: employee?.workEmail ?? '',
    birthDate: employee?.birthDate ?? '',
    passport: employee?.passport ?? '',
    pinfl: employee?.pinfl ?? '',
    address: employee?.address ?? '',
    salary: employee?.salary ?? '',
  }));
  const [busy, setBusy] = useState(false);
  // A long form: bring the first field the server refused into view.
  useEffect(() => {
    if (Object.keys(errors.fields).length === 0) return;
    document.querySelector<HTMLElement>('[data-testid=employee-drawer] [aria-invalid=true]')?.focus();
  }, [errors.fields]);
  const set = (field: string) => (value: string) => setValues((v) => ({ ...v, [field]: value }));
  const text = (field: string, label: string, extra: Record<string, unknown> = {}) => (
    <TextField
      label={label}
      name={field}
      value={values[field] ?? ''}
      onChange={set(field)}
      error={errors.fields[field]}
      {...extra}
    />
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    errors.clear();
    const required = creating
      ? ['firstName', 'lastName', 'departmentId', 'position', 'hireDate']
      : ['firstName', 'lastName'];
    const missing = required.filter((field) => !values[field]?.trim());
    if (missing.length > 0) {
      for (const field of missing) errors.setField(field, t('validation.required'));
      return;
    }
    const v = (field: string) => values[field]?.trim() ?? '';
    const orNull = (field: string) => v(field) || null;
    const common = {
      firstName: v('firstName'),
      lastName: v('lastName'),
      middleName: orNull('middleName'),
      managerId: orNull('managerId'),
      workPhone: v('workPhone'),
      workEmail: v('workEmail'),
      // Sent only when changed: linking needs the right to read users, keeping a link does not.
      ...(v('userId') !== (employee?.userId ?? '') ? { userId: orNull('userId') } : {}),
    };
    const personalFields = personal
      ? {
          birthDate: orNull('birthDate'),
          passport: orNull('passport'),
          pinfl: orNull('pinfl'),
          address: orNull('address'),
        }
      : {};
    setBusy(true);
    const request = creating
      ? api<Employee>('POST', `${HR}/employees`, {
          ...common,
          departmentId: v('departmentId'),
          position: v('position'),
          hireDate: v('hireDate'),
          ...personalFields,
          ...(personal && v('salary') ? { salary: v('salary') } : {}),
        })
      : api<Employee>('PATCH', `${HR}/employees/${employee.id}`, {
          ...common,
          status: v('status'),
          ...personalFields,
        });
    request
      .then((saved) => onSaved(saved, creating))
      .catch((error: unknown) => {
        errors.show(error, {
          knownFields: FIELDS,
          codeFields: {
            EMPLOYEE_USER_TAKEN: 'userId',
            EMPLOYEE_PINFL_TAKEN: 'pinfl',
            MANAGER_CYCLE: 'managerId',
          },
        });
        setBusy(false);
      });
  };

  const formId = 'employee-form';
  return (
    <Drawer
      title={
        creating ? t('hr.employee.createTitle') : t('hr.employee.editTitle', { name: employee.fullName })
      }
      onClose={onClose}
      testId="employee-drawer"
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form={formId} variant="primary" busy={busy} data-testid="employee-save">
            {creating ? t('hr.employee.create') : t('common.save')}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate>
        <FormError message={errors.general} />
        {text('lastName', t('hr.fields.lastName'), { maxLength: 100 })}
        {text('firstName', t('hr.fields.firstName'), { maxLength: 100 })}
        {text('middleName', t('hr.fields.middleName'), { maxLength: 100 })}
        {creating ? (
          <>
            <SelectField
              label={t('hr.fields.department')}
              name="departmentId"
              value={values.departmentId ?? ''}
              onChange={set('departmentId')}
              options={treeOptions(nodes ?? [])}
              empty={t('hr.common.choose')}
              error={errors.fields.departmentId}
            />
            {text('position', t('hr.fields.position'), { list: 'hr-positions', maxLength: 200 })}
            <datalist id="hr-positions">
              {positions.map((name) => (
                <option key={name} value={name} />
              ))}
            </datalist>
            {text('hireDate', t('hr.fields.hireDate'), { type: 'date' })}
          </>
        ) : (
          <SelectField
            label={t('hr.fields.status')}
            name="status"
            value={values.status ?? 'active'}
            onChange={set('status')}
            options={[
              { value: 'active', label: t('hr.status.active') },
              { value: 'on_leave', label: t('hr.status.on_leave') },
            ]}
            disabled={employee.status === 'dismissed'}
            error={errors.fields.status}
          />
        )}
        <SelectField
          label={t('hr.fields.manager')}
          name="managerId"
          value={values.managerId ?? ''}
          onChange={set('managerId')}
          options={managers}
          empty={t('hr.employee.noManager')}
          error={errors.fields.managerId}
        />
        {text('workPhone', t('hr.fields.workPhone'), { type: 'tel', maxLength: 40 })}
        {text('workEmail', t('hr.fields.workEmail'), { type: 'email', maxLength: 254 })}
        {users.length > 0 ? (
          <SelectField
            label={t('hr.fields.user')}
            name="userId"
            value={values.userId ?? ''}
            onChange={set('userId')}
            options={users.map((u) => ({ value: u.id, label: `${u.name} · ${u.email}` }))}
            empty={t('hr.employee.noUser')}
            error={errors.fields.userId}
          />
        ) : null}
        {personal ? (
          <fieldset className="field" data-testid="personal-fields">
            <legend className="section-title">{t('hr.employee.personal')}</legend>
            <p className="field-hint">{t('hr.employee.personalHint')}</p>
            {text('birthDate', t('hr.fields.birthDate'), { type: 'date' })}
            {text('pinfl', t('hr.fields.pinfl'), { inputMode: 'numeric', maxLength: 14 })}
            {text('passport', t('hr.fields.passport'), { maxLength: 12 })}
            {text('address', t('hr.fields.address'), { maxLength: 500 })}
            {creating ? text('salary', t('hr.fields.salary'), { inputMode: 'decimal', maxLength: 20 }) : null}
          </fieldset>
        ) : null}
      </form>
    </Drawer>
  );
}
