import { useEffect, useState } from 'react';
import { api } from '../../app/api';
import { useI18n } from '../../i18n/i18n';
import { ProductFinder } from './product-finder';
import type { Product } from './types';

type Chosen = Pick<Product, 'id' | 'sku' | 'name'>;

/** A toolbar filter on one product: find it by SKU, barcode or name; a chip once chosen. */
export function ProductFilter({ value, onChange }: { value: string; onChange(id: string): void }) {
  const { t } = useI18n();
  const [chosen, setChosen] = useState<Chosen | null>(null);

  // A product given by the address ("?productId=") is shown by its SKU.
  useEffect(() => {
    if (!value || chosen?.id === value) return;
    const controller = new AbortController();
    api<Product>('GET', `/api/erp/products/${encodeURIComponent(value)}`, undefined, {
      signal: controller.signal,
    })
      .then((product) => setChosen(product))
      .catch(() => {});
    return () => controller.abort();
  }, [value, chosen]);

  if (value) {
    return (
      <div className="toolbar-field erp-filter-chip">
        <span className="chip" data-testid="product-filter-chip">
          <span className="erp-sku">{chosen?.id === value ? chosen.sku : '…'}</span>
          <span className="erp-chip-name">{chosen?.id === value ? chosen.name : ''}</span>
          <button
            type="button"
            className="icon-button erp-chip-clear"
            aria-label={t('erp.common.clear')}
            onClick={() => {
              setChosen(null);
              onChange('');
            }}
          >
            <span aria-hidden="true">×</span>
          </button>
        </span>
      </div>
    );
  }
  return (
    <div className="toolbar-field erp-filter-product">
      <ProductFinder
        label={t('erp.fields.product')}
        placeholder={t('erp.common.anyProduct')}
        onPick={(product) => {
          setChosen(product);
          onChange(product.id);
        }}
        testId="product-filter"
      />
    </div>
  );
}
