// "Draft a receipt" on the reorder list: one receipt draft with what each product lacks to reach
// its reorder level, opened in the posting screen to check, price and post when the goods come.
import { useState } from 'react';
import { api } from '../../app/api';
import { navigate } from '../../app/router';
import { Button, Field, useNotify } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import { ConfirmDialog } from './confirm-dialog';
import { rememberedWarehouse, spreadError, useWarehouses } from './erp-api';
import type { StockDocument } from './types';
import { WarehouseSelect } from './warehouse-select';

export function ReorderReceiptButton() {
  const i18n = useI18n();
  const { t } = i18n;
  const notify = useNotify();
  const { warehouses } = useWarehouses();
  const active = warehouses.filter((w) => w.active);
  const [open, setOpen] = useState(false);
  const [warehouseId, setWarehouseId] = useState('');
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const start = () => {
    const remembered = rememberedWarehouse();
    const only = active.length === 1 ? (active[0]?.id ?? '') : '';
    setWarehouseId(active.some((w) => w.id === remembered) ? remembered : only);
    setFieldError(null);
    setError(null);
    setOpen(true);
  };

  const draft = async () => {
    if (!warehouseId) {
      setFieldError(t('erp.reorder.chooseWarehouse'));
      return;
    }
    setBusy(true);
    try {
      const doc = await api<StockDocument>('POST', '/api/erp/stock-documents/reorder-receipt', {
        warehouseId,
      });
      notify('success', t('erp.reorder.drafted', { number: doc.number, count: doc.lines.length }));
      navigate(`/erp/documents/${encodeURIComponent(doc.id)}`);
    } catch (failure) {
      const spread = spreadError(failure, i18n);
      setFieldError(spread.fields.warehouseId ?? null);
      setError(spread.general);
      setBusy(false);
    }
  };

  return (
    <>
      <Button icon="plus" onClick={start} data-testid="reorder-draft">
        {t('erp.reorder.draft')}
      </Button>
      {open ? (
        <ConfirmDialog
          title={t('erp.reorder.draft')}
          confirmLabel={t('erp.reorder.confirm')}
          busy={busy}
          error={error}
          onConfirm={() => void draft()}
          onCancel={() => setOpen(false)}
          testId="reorder-dialog"
        >
          <p>{t('erp.reorder.explain')}</p>
          <Field label={t('erp.fields.warehouse')} name="warehouseId" error={fieldError ?? undefined}>
            {(control) => (
              <WarehouseSelect
                value={warehouseId}
                warehouses={active}
                onChange={(id) => {
                  setWarehouseId(id);
                  setFieldError(null);
                }}
                data-testid="reorder-warehouse"
                {...control}
              />
            )}
          </Field>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
