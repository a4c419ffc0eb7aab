import { type FormEvent, useState } from 'react';
import { api } from '../../app/api';
import { Button, Drawer, Field, FormError, TextField } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import { spreadError } from './erp-api';
import { ProductStock } from './product-stock';
import { parseQuantity } from './quantity';
import { type Product, UNITS, type Unit } from './types';

type Props = {
  product: Product | null;
  readOnly: boolean;
  /** Shows the product's stock per warehouse under the form (for those who may read stock). */
  showStock?: boolean;
  onClose(): void;
  onSaved(product: Product, created: boolean): void;
};

/** The side panel to add a product or change one. */
export function ProductForm({ product, readOnly, showStock = false, onClose, onSaved }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const creating = product === null;
  const [sku, setSku] = useState(product?.sku ?? '');
  const [name, setName] = useState(product?.name ?? '');
  const [unit, setUnit] = useState<Unit>(product?.unit ?? 'pcs');
  const [barcode, setBarcode] = useState(product?.barcode ?? '');
  const [reorderLevel, setReorderLevel] = useState(
    product ? product.reorderLevel.replace(/\.?0+$/, '') || '0' : '0',
  );
  const [active, setActive] = useState(product?.active ?? true);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!sku.trim()) problems.sku = t('erp.validation.required');
    if (!name.trim()) problems.name = t('erp.validation.required');
    const level = parseQuantity(reorderLevel || '0', unit, { allowZero: true });
    if (!level.ok) problems.reorderLevel = t(`erp.validation.${level.problem}`);
    setFields(problems);
    setGeneral(null);
    if (Object.keys(problems).length > 0 || !level.ok) return;
    setBusy(true);
    const body = {
      sku: sku.trim(),
      name: name.trim(),
      unit,
      barcode: barcode.trim() || null,
      reorderLevel: level.value,
      ...(creating ? {} : { active }),
    };
    const request = creating
      ? api<Product>('POST', '/api/erp/products', body)
      : api<Product>('PATCH', `/api/erp/products/${encodeURIComponent(product.id)}`, body);
    request
      .then((saved) => onSaved(saved, creating))
      .catch((error: unknown) => {
        const spread = spreadError(error, i18n, {
          SKU_TAKEN: 'sku',
          BARCODE_TAKEN: 'barcode',
          PRODUCT_HAS_STOCK: 'active',
        });
        setFields(spread.fields);
        setGeneral(spread.general);
        setBusy(false);
      });
  };

  const formId = 'erp-product-form';
  return (
    <Drawer
      title={creating ? t('erp.products.createTitle') : t('erp.products.editTitle', { sku: product.sku })}
      onClose={onClose}
      testId="product-drawer"
      footer={
        <>
          <Button onClick={onClose}>{readOnly ? t('common.close') : t('common.cancel')}</Button>
          {readOnly ? null : (
            <Button type="submit" form={formId} variant="primary" busy={busy} data-testid="product-save">
              {creating ? t('erp.products.create') : t('common.save')}
            </Button>
          )}
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate>
        <FormError message={general} />
        <TextField
          label={t('erp.fields.sku')}
          name="sku"
          autoComplete="off"
          spellCheck={false}
          className="input input-mono"
          value={sku}
          onChange={setSku}
          error={fields.sku}
          disabled={readOnly}
          maxLength={64}
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
        <Field label={t('erp.fields.unit')} name="unit" error={fields.unit} hint={t('erp.products.unitHint')}>
          {(control) => (
            <select
              className="input"
              value={unit}
              disabled={readOnly}
              onChange={(event) => setUnit(event.target.value as Unit)}
              data-testid="product-unit"
              {...control}
            >
              {UNITS.map((value) => (
                <option key={value} value={value}>
                  {t(`erp.unit.${value}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <TextField
          label={t('erp.fields.barcode')}
          name="barcode"
          autoComplete="off"
          spellCheck={false}
          className="input input-mono"
          value={barcode}
          onChange={setBarcode}
          error={fields.barcode}
          hint={t('erp.products.barcodeHint')}
          disabled={readOnly}
          maxLength={64}
        />
        <TextField
          label={t('erp.fields.reorderLevel')}
          name="reorderLevel"
          autoComplete="off"
          inputMode="decimal"
          value={reorderLevel}
          onChange={setReorderLevel}
          error={fields.reorderLevel}
          hint={t('erp.products.reorderHint')}
          disabled={readOnly}
        />
        {creating ? null : (
          <div className="field">
            <label className="switch">
              <input
                type="checkbox"
                checked={active}
                disabled={readOnly}
                onChange={(event) => setActive(event.target.checked)}
                data-testid="product-active"
              />
              <span>{t('erp.products.activeLabel')}</span>
            </label>
            {fields.active ? <p className="field-error">{fields.active}</p> : null}
          </div>
        )}
      </form>
      {product && showStock ? <ProductStock product={product} /> : null}
    </Drawer>
  );
}
