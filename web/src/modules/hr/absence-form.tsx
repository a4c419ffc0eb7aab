import { type FormEvent, useState } from 'react';
import { api } from '../../app/api';
import { Button, Drawer, FormError, TextField } from '../../app/ui';
import { useFormErrors } from '../../app/use-form-errors';
import { useI18n } from '../../i18n/i18n';
import { ABSENCE_TYPES, type Absence, type AbsenceType, HR } from './api';
import { type Option, SelectField } from './form-parts';

type Props = {
  /** The employee it is for; none: the signed-in user's own employee record. */
  employeeId: string | null;
  /** Employees to choose from when none is given (HR). */
  employees?: Option[];
  onClose(): void;
  onSaved(absence: Absence): void;
};

/** The drawer to request (or, for HR, enter) a vacation, sick leave or business trip. */
export function AbsenceForm({ employeeId, employees, onClose, onSaved }: Props) {
  const { t } = useI18n();
  const errors = useFormErrors();
  const [employee, setEmployee] = useState(employeeId ?? '');
  const [type, setType] = useState<AbsenceType>('vacation');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    errors.clear();
    let missing = false;
    for (const [field, value] of [
      ['from', from],
      ['to', to],
    ] as const) {
      if (!value) {
        errors.setField(field, t('validation.required'));
        missing = true;
      }
    }
    if (missing) return;
    setBusy(true);
    api<Absence>('POST', `${HR}/absences`, {
      ...(employee ? { employeeId: employee } : {}),
      type,
      from,
      to,
      note: note.trim() || null,
    })
      .then(onSaved)
      .catch((error: unknown) => {
        errors.show(error, {
          knownFields: ['employeeId', 'type', 'from', 'to', 'note'],
          codeFields: { ABSENCE_OVERLAP: 'from', VACATION_BALANCE_EXCEEDED: 'to' },
        });
        setBusy(false);
      });
  };

  const formId = 'absence-form';
  return (
    <Drawer
      title={t('hr.absence.title')}
      onClose={onClose}
      testId="absence-drawer"
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form={formId} variant="primary" busy={busy} data-testid="absence-save">
            {t('hr.absence.save')}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate>
        <FormError message={errors.general} />
        {employees && !employeeId ? (
          <SelectField
            label={t('hr.fields.employee')}
            name="employeeId"
            value={employee}
            onChange={setEmployee}
            options={employees}
            empty={t('hr.absence.myself')}
            error={errors.fields.employeeId}
          />
        ) : null}
        <SelectField
          label={t('hr.fields.type')}
          name="type"
          value={type}
          onChange={(value) => setType(value as AbsenceType)}
          options={ABSENCE_TYPES.map((value) => ({ value, label: t(`hr.absenceType.${value}`) }))}
          error={errors.fields.type}
        />
        <TextField
          label={t('hr.fields.from')}
          name="from"
          type="date"
          value={from}
          onChange={setFrom}
          error={errors.fields.from}
        />
        <TextField
          label={t('hr.fields.to')}
          name="to"
          type="date"
          value={to}
          min={from || undefined}
          onChange={setTo}
          error={errors.fields.to}
        />
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
