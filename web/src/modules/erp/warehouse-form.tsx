import { type FormEvent, useState } from 'react';
import { api } from '../../app/api';
import { Button, Drawer, FormError, TextField } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import { spreadError } from './erp-api';
import { KeeperPicker } from './keeper-picker';
import type { Keeper, Warehouse } from './types';

type Props = {
  warehouse: Warehouse | null;
  readOnly: boolean;
  onClose(): void;
  onSaved(warehouse: Warehouse, created: boolean): void;
};

/** The side panel to add a warehouse or change one. */
export function WarehouseForm({ warehouse, readOnly, onClose, onSaved }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const creating = warehouse === null;
  const [code, setCode] = useState(warehouse?.code ?? '');
  const [name, setName] = useState(warehouse?.name ?? '');
  const [address, setAddress] = useState(warehouse?.address ?? '');
  const [active, setActive] = useState(warehouse?.active ?? true);
  const [keepers, setKeepers] = useState<Keeper[]>(warehouse?.keepers ?? []);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!code.trim()) problems.code = t('erp.validation.required');
    if (!name.trim()) problems.name = t('erp.validation.required');
    setFields(problems);
    setGeneral(null);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    const body = {
      code: code.trim(),
      name: name.trim(),
      address: address.trim() || null,
      keeperIds: keepers.map((k) => k.id),
      ...(creating ? {} : { active }),
    };
    const request = creating
      ? api<Warehouse>('POST', '/api/erp/warehouses', body)
      : api<Warehouse>('PATCH', `/api/erp/warehouses/${encodeURIComponent(warehouse.id)}`, body);
    request
      .then((saved) => onSaved(saved, creating))
      .catch((error: unknown) => {
        const spread = spreadError(error, i18n, {
          WAREHOUSE_CODE_TAKEN: 'code',
          WAREHOUSE_HAS_STOCK: 'active',
        });
        setFields(spread.fields);
        setGeneral(spread.general);
        setBusy(false);
      });
  };

  const formId = 'erp-warehouse-form';
  return (
    <Drawer
      title={
        creating ? t('erp.warehouses.createTitle') : t('erp.warehouses.editTitle', { code: warehouse.code })
      }
      onClose={onClose}
      testId="warehouse-drawer"
      footer={
        <>
          <Button onClick={onClose}>{readOnly ? t('common.close') : t('common.cancel')}</Button>
          {readOnly ? null : (
            <Button type="submit" form={formId} variant="primary" busy={busy} data-testid="warehouse-save">
              {creating ? t('erp.warehouses.create') : t('common.save')}
            </Button>
          )}
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate>
        <FormError message={general} />
        <TextField
          label={t('erp.fields.code')}
          name="code"
          autoComplete="off"
          spellCheck={false}
          className="input input-mono"
          value={code}
          onChange={setCode}
          error={fields.code}
          disabled={readOnly}
          maxLength={32}
        />
        <TextField
          label={t('erp.fields.name')}
          name="name"
          autoComplete="off"
          value={name}
          onChange={setName}
          error={fields.name}
          disabled={readOnly}
          maxLength={200}
        />
        <TextField
          label={t('erp.fields.address')}
          name="address"
          autoComplete="off"
          value={address}
          onChange={setAddress}
          error={fields.address}
          disabled={readOnly}
          maxLength={500}
        />
        <KeeperPicker
          value={keepers}
          onChange={setKeepers}
          disabled={readOnly}
          error={Object.entries(fields).find(([path]) => path.startsWith('keeperIds'))?.[1]}
        />
        {creating ? null : (
          <div className="field">
            <label className="switch">
              <input
                type="checkbox"
                checked={active}
                disabled={readOnly}
                onChange={(event) => setActive(event.target.checked)}
                data-testid="warehouse-active"
              />
              <span>{t('erp.warehouses.activeLabel')}</span>
            </label>
            {fields.active ? <p className="field-error">{fields.active}</p> : null}
          </div>
        )}
      </form>
    </Drawer>
  );
}
