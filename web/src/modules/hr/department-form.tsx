import { type FormEvent, useState } from 'react';
import { api } from '../../app/api';
import { Button, Drawer, FormError, TextField } from '../../app/ui';
import { useFormErrors } from '../../app/use-form-errors';
import { useI18n } from '../../i18n/i18n';
import { type Department, HR, type OrgNode } from './api';
import { SelectField, treeOptions, useEmployeeOptions } from './form-parts';

const FIELDS = ['name', 'code', 'parentId', 'headEmployeeId'];

type Props = {
  /** The department to change; none to create one. */
  department: OrgNode | null;
  /** The parent a new department starts under. */
  parentId?: string | null;
  nodes: OrgNode[];
  onClose(): void;
  onSaved(department: Department, created: boolean): void;
};

/** The side panel to create a department or change one: name, code, parent and head. */
export function DepartmentForm({ department, parentId = null, nodes, onClose, onSaved }: Props) {
  const { t } = useI18n();
  const errors = useFormErrors();
  const employees = useEmployeeOptions();
  const creating = department === null;
  const [name, setName] = useState(department?.name ?? '');
  const [code, setCode] = useState(department?.code ?? '');
  const [parent, setParent] = useState(department ? (department.parentId ?? '') : (parentId ?? ''));
  const [head, setHead] = useState(department?.head?.id ?? '');
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    errors.clear();
    if (!name.trim()) {
      errors.setField('name', t('validation.required'));
      return;
    }
    setBusy(true);
    const body = {
      name: name.trim(),
      ...(code.trim() ? { code: code.trim() } : {}),
      parentId: parent || null,
      headEmployeeId: head || null,
    };
    const request = creating
      ? api<Department>('POST', `${HR}/departments`, body)
      : api<Department>('PATCH', `${HR}/departments/${department.id}`, body);
    request
      .then((saved) => onSaved(saved, creating))
      .catch((error: unknown) => {
        errors.show(error, {
          knownFields: FIELDS,
          codeFields: { DEPARTMENT_CODE_TAKEN: 'code', DEPARTMENT_CYCLE: 'parentId' },
        });
        setBusy(false);
      });
  };

  const formId = 'department-form';
  return (
    <Drawer
      title={
        creating ? t('hr.department.createTitle') : t('hr.department.editTitle', { name: department.name })
      }
      onClose={onClose}
      testId="department-drawer"
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form={formId} variant="primary" busy={busy} data-testid="department-save">
            {creating ? t('hr.department.create') : t('common.save')}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate>
        <FormError message={errors.general} />
        <TextField
          label={t('hr.fields.name')}
          name="name"
          value={name}
          onChange={setName}
          error={errors.fields.name}
          maxLength={200}
          required
        />
        <TextField
          label={t('hr.fields.code')}
          name="code"
          value={code}
          onChange={setCode}
          error={errors.fields.code}
          hint={t('hr.fields.codeHint')}
          maxLength={50}
          className="input input-mono"
        />
        <SelectField
          label={t('hr.fields.parent')}
          name="parentId"
          value={parent}
          onChange={setParent}
          options={treeOptions(nodes, department?.id)}
          empty={t('hr.fields.noParent')}
          error={errors.fields.parentId}
        />
        <SelectField
          label={t('hr.fields.head')}
          name="headEmployeeId"
          value={head}
          onChange={setHead}
          options={employees}
          empty={t('hr.org.noHead')}
          error={errors.fields.headEmployeeId}
        />
      </form>
    </Drawer>
  );
}
