// An inventory count on paper: the lines to count with what the books say (or, for a blind
// count, without: counters who see the books tend to find them), a blank column to write the
// counted quantity in on the shelves, and lines to sign. Printed from the count's posting
// screen; nothing of it shows on the screen.
import { useI18n } from '../../i18n/i18n';
import { formatQuantity } from './erp-api';
import type { FormLine } from './posting';
import type { Balance } from './types';

type Props = {
  number: string | null;
  warehouse: string;
  date: string;
  lines: readonly FormLine[];
  balanceOf(productId: string): Balance | null | undefined;
  /** Leaves the book quantities out. */
  blind: boolean;
};

export function CountSheet({ number, warehouse, date, lines, balanceOf, blind }: Props) {
  const i18n = useI18n();
  const { t, formatDate } = i18n;
  return (
    <section className="erp-print-only erp-count-sheet" aria-hidden="true" data-testid="count-sheet">
      <h2>
        {t('erp.countSheet.title')}
        {number ? ` ${number}` : ''}
      </h2>
      <p>
        {t('erp.fields.warehouse')}: <strong>{warehouse}</strong> · {t('erp.fields.date')}:{' '}
        <strong>{date ? formatDate(date) : ''}</strong>
      </p>
      <table className="erp-table">
        <thead>
          <tr>
            <th scope="col">№</th>
            <th scope="col">{t('erp.fields.sku')}</th>
            <th scope="col">{t('erp.fields.product')}</th>
            {blind ? null : (
              <th scope="col" className="erp-num">
                {t('erp.countSheet.books')}
              </th>
            )}
            <th scope="col" className="erp-count-sheet-counted">
              {t('erp.countSheet.counted')}
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line, index) => {
            const balance = blind ? undefined : balanceOf(line.product.id);
            return (
              <tr key={line.key}>
                <td>{index + 1}</td>
                <td>{line.product.sku}</td>
                <td>{line.product.name}</td>
                {blind ? null : (
                  <td className="erp-num" data-testid="count-sheet-books">
                    {balance === undefined
                      ? ''
                      : formatQuantity(i18n, balance?.quantity ?? '0', line.product.unit)}
                  </td>
                )}
                <td className="erp-count-sheet-counted" />
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="erp-signatures">
        <p>
          {t('erp.countSheet.countedBy')}: <span className="erp-signature-line" />
        </p>
        <p>
          {t('erp.countSheet.checkedBy')}: <span className="erp-signature-line" />
        </p>
      </div>
    </section>
  );
}
