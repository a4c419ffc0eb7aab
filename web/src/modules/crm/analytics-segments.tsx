// The sales analytics' segment table: per client segment, the deals opened in the period and
// those won and lost in it, each segment linking to its clients.
import { Link } from '../../app/router';
import { type I18n, useI18n } from '../../i18n/i18n';
import { type Amounts, amountsText } from './amounts';

type CountAndAmount = { count: number; amount: Amounts };
export type SegmentFigures = {
  segment: string | null;
  opened: CountAndAmount;
  won: CountAndAmount;
  lost: number;
  winRate: number | null;
};

/** A share as a whole percentage, or a dash when there is none. */
export const percent = (i18n: I18n, share: number | null) =>
  share === null ? '—' : i18n.formatNumber(share, { style: 'percent', maximumFractionDigits: 0 });

export function SegmentTable({ segments }: { segments: SegmentFigures[] }) {
  const i18n = useI18n();
  const { t, formatNumber } = i18n;
  return (
    <section className="panel" data-testid="analytics-segments">
      <h2 className="panel-title">{t('crm.analytics.segmentsTitle')}</h2>
      <p className="panel-text">{t('crm.analytics.segmentsText')}</p>
      {segments.length === 0 ? (
        <p className="muted">{t('crm.analytics.segmentsEmpty')}</p>
      ) : (
        <div className="table-scroll">
          <table className="crm-analytics-table">
            <thead>
              <tr>
                <th scope="col">{t('crm.analytics.segment')}</th>
                <th scope="col" className="crm-num">
                  {t('crm.analytics.opened')}
                </th>
                <th scope="col" className="crm-num">
                  {t('crm.analytics.won')}
                </th>
                <th scope="col" className="crm-num">
                  {t('crm.analytics.lost')}
                </th>
                <th scope="col" className="crm-num">
                  {t('crm.analytics.winRate')}
                </th>
              </tr>
            </thead>
            <tbody>
              {segments.map((s) => (
                <tr key={s.segment ?? ''} data-testid="analytics-segment">
                  <th scope="row">
                    {s.segment === null ? (
                      <span className="muted">{t('crm.analytics.noSegment')}</span>
                    ) : (
                      <Link to={`/crm/clients?segment=${encodeURIComponent(s.segment)}`}>{s.segment}</Link>
                    )}
                  </th>
                  <td className="crm-num">
                    {formatNumber(s.opened.count)}
                    <span className="crm-num-sub">{amountsText(i18n, s.opened.amount)}</span>
                  </td>
                  <td className="crm-num">
                    {formatNumber(s.won.count)}
                    <span className="crm-num-sub">{amountsText(i18n, s.won.amount)}</span>
                  </td>
                  <td className="crm-num">{formatNumber(s.lost)}</td>
                  <td className="crm-num">{percent(i18n, s.winRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
