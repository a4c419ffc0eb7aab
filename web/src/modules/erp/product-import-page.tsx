// Products from a CSV or XLSX file: the file stays in the browser and is sent with each step
// (the server checks it, then writes it); an opening stock column becomes one receipt draft,
// priced by a unit cost column.
import { useRef, useState } from 'react';
import { api } from '../../app/api';
import { fileToBase64, type ImportCheck, ImportWizard } from '../../app/import-wizard';
import { Link } from '../../app/router';
import { Field, PageHeader } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import { rememberedWarehouse, useWarehouses } from './erp-api';
import { WarehouseSelect } from './warehouse-select';
import './erp.css';

const FIELDS = ['sku', 'name', 'unit', 'barcode', 'reorderLevel', 'openingStock', 'cost'] as const;
type ProductField = (typeof FIELDS)[number];
const REQUIRED: readonly ProductField[] = ['sku', 'name'];

type Checked = ImportCheck & {
  columns: string[];
  sample: string[][];
  mapping: Record<string, string | null>;
  withOpeningStock: number;
  openingStockValue: string | null;
  costsNotKept: number;
};
type Imported = Checked & {
  created: number;
  updated: number;
  skipped: number;
  openingStockDraft: { id: string; number: string } | null;
};

export default function ProductImportPage() {
  const { t, formatNumber, formatMoney } = useI18n();
  const { warehouses } = useWarehouses();
  const active = warehouses.filter((w) => w.active);
  const file = useRef<{ fileName: string; contentBase64: string } | null>(null);
  const [withStock, setWithStock] = useState(0);
  const [stockValue, setStockValue] = useState<string | null>(null);
  const [costsNotKept, setCostsNotKept] = useState(0);
  const [warehouseId, setWarehouseId] = useState(rememberedWarehouse);
  const [warehouseError, setWarehouseError] = useState<string | undefined>(undefined);

  const checkFile = async (mapping?: Record<string, string | null>) => {
    const answer = await api<Checked>('POST', '/api/erp/products/import/check', { ...file.current, mapping });
    setWithStock(answer.withOpeningStock);
    setStockValue(answer.openingStockValue);
    setCostsNotKept(answer.costsNotKept);
    return answer;
  };
  const label = (field: ProductField) => t(`erp.import.field.${field}`);

  return (
    <>
      <PageHeader title={t('erp.import.title')} description={t('erp.import.lead')} />
      <ImportWizard
        fields={FIELDS}
        fieldLabel={label}
        mappingProblem={(mapping) => {
          const missing = REQUIRED.filter((field) => !Object.values(mapping).includes(field));
          return missing.length > 0
            ? t('erp.import.mappingMissing', { fields: missing.map(label).join(', ') })
            : null;
        }}
        mapText={t('erp.import.mapText')}
        read={async (picked) => {
          file.current = { fileName: picked.name, contentBase64: await fileToBase64(picked) };
          return checkFile();
        }}
        check={checkFile}
        commit={async (mapping, skipInvalid) => {
          const stockWarehouse = withStock > 0 ? warehouseId : null;
          if (withStock > 0 && !stockWarehouse) {
            setWarehouseError(t('erp.import.warehouseNeeded'));
            return null;
          }
          const result = await api<Imported>('POST', '/api/erp/products/import', {
            ...file.current,
            mapping,
            skipInvalid,
            warehouseId: stockWarehouse,
          });
          return {
            done: (
              <>
                <p data-testid="import-result">
                  {t('erp.import.doneText', {
                    created: formatNumber(result.created),
                    updated: formatNumber(result.updated),
                    skipped: formatNumber(result.skipped),
                  })}
                </p>
                {result.openingStockDraft ? (
                  <p>
                    {t('erp.import.draftText')}{' '}
                    <Link
                      to={`/erp/documents/${encodeURIComponent(result.openingStockDraft.id)}`}
                      data-testid="import-draft"
                    >
                      {result.openingStockDraft.number}
                    </Link>
                  </p>
                ) : null}
              </>
            ),
          };
        }}
        commitLabel={(count) => t('erp.import.commit', { count: formatNumber(count) })}
        committingLabel={t('erp.import.committing')}
        beforeCommit={
          <>
            {costsNotKept > 0 ? (
              <p className="notice" data-testid="import-costs-not-kept">
                {t('erp.import.costsNotKept', { count: formatNumber(costsNotKept) })}
              </p>
            ) : null}
            {withStock > 0 ? (
              <div className="erp-import-stock">
                <Field
                  label={t('erp.import.stockWarehouse')}
                  name="warehouseId"
                  error={warehouseError}
                  hint={
                    stockValue === null
                      ? t('erp.import.stockHint', { count: formatNumber(withStock) })
                      : t('erp.import.stockHintValue', {
                          count: formatNumber(withStock),
                          value: formatMoney(stockValue),
                        })
                  }
                >
                  {(control) => (
                    <WarehouseSelect
                      value={active.some((w) => w.id === warehouseId) ? warehouseId : ''}
                      warehouses={active}
                      onChange={(id) => {
                        setWarehouseId(id);
                        setWarehouseError(undefined);
                      }}
                      data-testid="import-warehouse"
                      {...control}
                    />
                  )}
                </Field>
              </div>
            ) : null}
          </>
        }
        doneAction={
          <Link className="button button-primary" to="/erp/products">
            {t('erp.import.toProducts')}
          </Link>
        }
      />
    </>
  );
}
