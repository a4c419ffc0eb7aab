// Where a product is: its stock in each warehouse (on hand, reserved, available) beside its
// form, with the way to its movements, as a clerk expects on a product card.
import { useEffect, useState } from 'react';
import { fetchPage } from '../../app/api';
import { Link } from '../../app/router';
import { useI18n } from '../../i18n/i18n';
import { formatQuantity } from './erp-api';
import { sumQuantities } from './quantity';
import type { Balance, Product } from './types';

const SHOWN = 50;

export function ProductStock({ product }: { product: Product }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [state, setState] = useState<{ items: Balance[]; total: number } | 'failed' | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    fetchPage<Balance>('/api/erp/stock-balances', { productId: product.id, limit: SHOWN }, controller.signal)
      .then((page) => setState({ items: page.items, total: page.total }))
      .catch(() => {
        if (!controller.signal.aborted) setState('failed');
      });
    return () => controller.abort();
  }, [product.id]);

  const quantity = (value: string) => formatQuantity(i18n, value, product.unit);
  const query = `productId=${encodeURIComponent(product.id)}`;
  return (
    <section
      className="erp-product-stock"
      aria-labelledby="erp-product-stock-title"
      data-testid="product-stock"
    >
      <h3 id="erp-product-stock-title">{t('erp.products.stockTitle')}</h3>
      {state === null ? (
        <p className="muted">{t('common.loading')}</p>
      ) : state === 'failed' ? (
        <p className="field-error">{t('erp.products.stockFailed')}</p>
      ) : state.items.length === 0 ? (
        <p className="muted">
          {t('erp.products.stockNone')}{' '}
          <Link to="/erp/documents/new?type=receipt">{t('erp.products.stockReceive')}</Link>
        </p>
      ) : (
        <>
          <table className="erp-table">
            <thead>
              <tr>
                <th scope="col">{t('erp.fields.warehouse')}</th>
                <th scope="col" className="erp-num">
                  {t('erp.fields.onHand')}
                </th>
                <th scope="col" className="erp-num">
                  {t('erp.fields.reserved')}
                </th>
                <th scope="col" className="erp-num">
                  {t('erp.fields.available')}
                </th>
              </tr>
            </thead>
            <tbody>
              {state.items.map((b) => (
                <tr key={b.warehouseId}>
                  <td>
                    <Link to={`/erp/ledger?${query}&warehouseId=${encodeURIComponent(b.warehouseId)}`}>
                      {b.warehouseCode}
                    </Link>{' '}
                    <span className="muted">{b.warehouseName}</span>
                  </td>
                  <td className="erp-num">{quantity(b.quantity)}</td>
                  <td className="erp-num">{quantity(b.reserved)}</td>
                  <td className="erp-num">
                    <strong>{quantity(b.available)}</strong>
                  </td>
                </tr>
              ))}
            </tbody>
            {state.items.length > 1 && state.total <= SHOWN ? (
              <tfoot>
                <tr>
                  <th scope="row">{t('erp.doc.total')}</th>
                  <td className="erp-num">{quantity(sumQuantities(state.items.map((b) => b.quantity)))}</td>
                  <td className="erp-num">{quantity(sumQuantities(state.items.map((b) => b.reserved)))}</td>
                  <td className="erp-num">
                    <strong>{quantity(sumQuantities(state.items.map((b) => b.available)))}</strong>
                  </td>
                </tr>
              </tfoot>
            ) : null}
          </table>
          <p className="erp-product-stock-links">
            <Link to={`/erp/ledger?${query}`} data-testid="product-movements">
              {t('erp.products.movements')}
            </Link>
            {state.total > SHOWN ? (
              <Link to={`/erp/stock?${query}`}>
                {t('erp.products.allWarehouses', { count: state.total })}
              </Link>
            ) : null}
          </p>
        </>
      )}
    </section>
  );
}
