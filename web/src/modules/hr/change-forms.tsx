// The dated changes of an employee: a transfer, a salary change and a dismissal.
import { type FormEvent, type ReactNode, useState } from 'react';
import { api } from '../../app/api';
import { Icon } from '../../app/icons';
import { Button, Drawer, FormError, TextField } from '../../app/ui';
import { useFormErrors } from '../../app/use-form-errors';
import { useI18n } from '../../i18n/i18n';
import { type Employee, HR, todayIso } from './api';
import { SelectField, treeOptions, useOrgNodes } from './form-parts';

export type ChangeKind = 'transfer' | 'salary' | 'dismiss';

const PATHS: Record<ChangeKind, string> = { transfer: 'transfer', salary: 'salary', dismiss: 'dismiss' };

type Props = {
  kind: ChangeKind;
  employee: Employee;
  onClose(): void;
  onSaved(employee: Employee): void;
};

/** One drawer for the three dated changes; each asks for a date and what changes from it. */
export function ChangeForm({ kind, employee, onClose, onSaved }: Props) {
  const { t } = useI18n();
  const errors = useFormErrors();
  const { nodes } = useOrgNodes();
  const [date, setDate] = useState(todayIso());
  const [departmentId, setDepartmentId] = useState(employee.departmentId);
  const [position, setPosition] = useState(employee.position);
  const [salary, setSalary] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    errors.clear();
    if (!date) return errors.setField('date', t('validation.required'));
    if (kind === 'salary' && !salary.trim()) return errors.setField('salary', t('validation.required'));
    const body =
      kind === 'transfer'
        ? { date, departmentId, position: position.trim(), note: note.trim() || null }
        : kind === 'salary'
          ? { date, salary: salary.trim(), note: note.trim() || null }
          : { date, note: note.trim() || null };
    setBusy(true);
    api<Employee>('POST', `${HR}/employees/${employee.id}/${PATHS[kind]}`, body)
      .then(onSaved)
      .catch((error: unknown) => {
        errors.show(error, {
          knownFields: ['date', 'departmentId', 'position', 'salary', 'note'],
          codeFields: { EMPLOYEE_EVENT_DATE: 'date', EMPLOYEE_NOTHING_CHANGES: 'position' },
        });
        setBusy(false);
      });
  };

  const titles: Record<ChangeKind, string> = {
    transfer: t('hr.transfer.title', { name: employee.fullName }),
    salary: t('hr.salary.title', { name: employee.fullName }),
    dismiss: t('hr.dismiss.title', { name: employee.fullName }),
  };
  const saves: Record<ChangeKind, string> = {
    transfer: t('hr.transfer.save'),
    salary: t('hr.salary.save'),
    dismiss: t('hr.dismiss.save'),
  };
  let fields: ReactNode = null;
  if (kind === 'transfer') {
    fields = (
      <>
        <SelectField
          label={t('hr.fields.department')}
          name="departmentId"
          value={departmentId}
          onChange={setDepartmentId}
          options={treeOptions(nodes ?? [])}
          error={errors.fields.departmentId}
        />
        <TextField
          label={t('hr.fields.position')}
          name="position"
          value={position}
          onChange={setPosition}
          error={errors.fields.position}
          maxLength={200}
        />
      </>
    );
  } else if (kind === 'salary') {
    fields = (
      <TextField
        label={t('hr.fields.salary')}
        name="salary"
        value={salary}
        onChange={setSalary}
        error={errors.fields.salary}
        inputMode="decimal"
        maxLength={20}
      />
    );
  }

  const formId = `change-form-${kind}`;
  return (
    <Drawer
      title={titles[kind]}
      onClose={onClose}
      testId={`change-drawer-${kind}`}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="submit"
            form={formId}
            variant={kind === 'dismiss' ? 'danger' : 'primary'}
            busy={busy}
            data-testid="change-save"
          >
            {saves[kind]}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate>
        <FormError message={errors.general} />
        {kind === 'dismiss' ? (
          <p className="notice">
            <Icon name="alert" />
            <span>{t('hr.dismiss.warning')}</span>
          </p>
        ) : null}
        <TextField
          label={t('hr.fields.date')}
          name="date"
          type="date"
          value={date}
          onChange={setDate}
          error={errors.fields.date}
        />
        {fields}
        <TextField
          label={t('hr.fields.note')}
          name="note"
          value={note}
          onChange={setNote}
          error={errors.fields.note}
          maxLength={1000}
        />
      </form>
    </Drawer>
  );
}
