// One marketing campaign: what it brought (leads, conversion, deals, cost per lead, ROI), its
// facts, the clients it is aimed at, and the moves from planned to running to finished.
import { type ReactNode, useEffect, useState } from 'react';
import { CardLoadError, Facts } from '../../app/record-card';
import { Link, navigate } from '../../app/router';
import { useSession } from '../../app/session';
import { Button, PageHeader, PageLoading, useNotify } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import { amountsText } from './amounts';
import { CampaignForm } from './campaign-form';
import { audienceText, CampaignStatusBadge, percentText, periodText, RoiText } from './campaign-parts';
import {
  audienceEntries,
  audienceHref,
  broughtAnything,
  broughtHref,
  type CampaignDetail,
  deleteCampaign,
  getCampaign,
  isCampaignStale,
  NEXT_CAMPAIGN_STATUS,
  updateCampaign,
} from './campaigns-api';
import { Dialog, useRegions } from './parts';
import { crmErrorMessage } from './tickets-api';
import './analytics.css';

const LIST = '/crm/campaigns';

type Open = 'edit' | 'delete' | null;

type Tile = { key: string; label: string; figure: ReactNode; sub?: ReactNode };

export function CampaignCardPage({ id }: { id: string }) {
  const i18n = useI18n();
  const { t, formatNumber, formatMoney } = i18n;
  const { can } = useSession();
  const notify = useNotify();
  const regions = useRegions();
  const [campaign, setCampaign] = useState<CampaignDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<Open>(null);
  const [moving, setMoving] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [token, setToken] = useState(0);
  const reload = () => setToken((n) => n + 1);

  // biome-ignore lint/correctness/useExhaustiveDependencies: token asks for a new read.
  useEffect(() => {
    const controller = new AbortController();
    getCampaign(id, controller.signal)
      .then((answer) => {
        setCampaign(answer);
        setError(null);
      })
      .catch((reason: unknown) => {
        if (!controller.signal.aborted) setError(reason);
      });
    return () => controller.abort();
  }, [id, token]);

  if (error) return <CardLoadError error={error} backTo={LIST} backLabel={t('crm.campaign.back')} />;
  if (!campaign) return <PageLoading />;

  const writable = can('crm.campaigns.write');
  const { results } = campaign;
  const next = NEXT_CAMPAIGN_STATUS[campaign.status];
  const money = (amount: string | null) => (amount === null ? null : formatMoney(amount, campaign.currency));

  const move = () => {
    if (!next) return;
    setMoving(true);
    updateCampaign(campaign, { status: next })
      .then((moved) => {
        notify(
          'success',
          t('crm.campaign.moved', { name: moved.name, status: t(`crm.campaignStatus.${moved.status}`) }),
        );
        setCampaign(moved);
      })
      .catch((reason: unknown) => {
        notify('error', crmErrorMessage(reason, i18n));
        if (isCampaignStale(reason)) reload();
      })
      .finally(() => setMoving(false));
  };

  const remove = () => {
    setDeleting(true);
    setDeleteError(null);
    deleteCampaign(campaign.id)
      .then(() => {
        notify('success', t('crm.campaign.deleted', { name: campaign.name }));
        navigate(LIST);
      })
      .catch((reason: unknown) => {
        setDeleting(false);
        // CAMPAIGN_IN_USE: something was brought meanwhile; the server's sentence says what to do.
        setDeleteError(crmErrorMessage(reason, i18n));
        reload();
      });
  };

  const { open: openDeals, won, lost } = results.deals;
  // What it brought and what that cost; then its deals by where they stand.
  const reach: Tile[] = [
    {
      key: 'leads',
      label: t('crm.campaign.tile.leads'),
      figure: formatNumber(results.leads),
      sub: (
        <Link to={broughtHref(campaign.id)} data-testid="campaign-brought">
          {t('crm.campaign.brought')}
        </Link>
      ),
    },
    {
      key: 'converted',
      label: t('crm.campaign.tile.converted'),
      figure: formatNumber(results.converted),
      sub:
        results.conversionRate === null
          ? t('crm.campaign.noLeads')
          : t('crm.campaign.conversion', { share: percentText(i18n, results.conversionRate) }),
    },
    {
      key: 'cost-per-lead',
      label: t('crm.fields.costPerLead'),
      figure: money(results.costPerLead) ?? '—',
      sub: campaign.budget === null ? t('crm.campaign.noBudget') : undefined,
    },
    {
      key: 'roi',
      label: t('crm.fields.roi'),
      figure: <RoiText roi={results.roi} />,
      sub: campaign.budget === null ? t('crm.campaign.noBudget') : t('crm.campaign.roiHint'),
    },
  ];
  const deals: Tile[] = [
    {
      key: 'open',
      label: t('crm.campaign.tile.open'),
      figure: formatNumber(openDeals.count),
      sub: openDeals.count > 0 ? amountsText(i18n, openDeals.amount) : undefined,
    },
    {
      key: 'won',
      label: t('crm.campaign.tile.won'),
      figure: formatNumber(won.count),
      sub: won.count > 0 ? amountsText(i18n, won.amount) : undefined,
    },
    { key: 'lost', label: t('crm.campaign.tile.lost'), figure: formatNumber(lost) },
  ];

  const count = campaign.audienceCount;
  const countText = `${formatNumber(count.total)}${count.exact ? '' : '+'}`;
  const aimed = audienceEntries(campaign.audience).length > 0;
  return (
    <div className="crm-campaign-page" data-testid="campaign-card">
      <p className="small">
        <Link to={LIST}>{`← ${t('crm.campaign.back')}`}</Link>
      </p>
      <PageHeader
        title={campaign.name}
        description={[campaign.code, t(`crm.campaignChannel.${campaign.channel}`)].join(' · ')}
        actions={
          writable ? (
            <>
              {next ? (
                <Button variant="primary" busy={moving} onClick={move} data-testid={`campaign-move-${next}`}>
                  {t(`crm.campaign.move.${next}`)}
                </Button>
              ) : null}
              <Button onClick={() => setOpen('edit')} data-testid="campaign-edit">
                {t('crm.common.edit')}
              </Button>
              {broughtAnything(results) ? null : (
                <Button
                  variant="danger"
                  icon="trash"
                  onClick={() => {
                    setDeleteError(null);
                    setOpen('delete');
                  }}
                  data-testid="campaign-delete"
                >
                  {t('crm.campaign.delete')}
                </Button>
              )}
            </>
          ) : null
        }
      />
      <div className="crm-campaign-badges">
        <CampaignStatusBadge status={campaign.status} />
        {campaign.startsOn || campaign.endsOn ? (
          <span className="muted small">{periodText(i18n, campaign)}</span>
        ) : null}
      </div>
      <div className="crm-campaign-results" data-testid="campaign-results">
        {[reach, deals].map((row) => (
          <div key={row[0]?.key} className="crm-analytics-tiles">
            {row.map((tile) => (
              <section
                key={tile.key}
                className="panel crm-analytics-tile"
                data-testid={`campaign-tile-${tile.key}`}
              >
                <h2 className="crm-analytics-tile-label">{tile.label}</h2>
                <p className="crm-analytics-figure crm-campaign-figure">{tile.figure}</p>
                {tile.sub ? <p className="crm-analytics-amount">{tile.sub}</p> : null}
              </section>
            ))}
          </div>
        ))}
      </div>
      <div className="grid-2 crm-section">
        <section className="panel" data-testid="campaign-facts">
          <h2 className="panel-title">{t('crm.campaign.details')}</h2>
          <Facts
            rows={[
              [t('crm.fields.code'), <code key="code">{campaign.code}</code>],
              [t('crm.fields.channel'), t(`crm.campaignChannel.${campaign.channel}`)],
              [t('crm.fields.period'), periodText(i18n, campaign)],
              [t('crm.fields.budget'), money(campaign.budget)],
              [t('crm.fields.owner'), campaign.ownerName],
              [
                t('crm.fields.description'),
                campaign.description ? (
                  <span key="description" className="crm-wrap crm-campaign-text">
                    {campaign.description}
                  </span>
                ) : null,
              ],
            ]}
          />
        </section>
        <section className="panel" data-testid="campaign-audience">
          <h2 className="panel-title">{t('crm.campaign.audience')}</h2>
          <p className="crm-wrap" data-testid="campaign-audience-text">
            {aimed ? audienceText(i18n, campaign.audience, regions) : t('crm.campaign.audienceAll')}
          </p>
          <p className="muted" data-testid="campaign-audience-count">
            {t('crm.campaign.audienceCount', { count: countText })}
          </p>
          <p className="crm-campaign-links">
            <Link to={audienceHref(campaign.audience)} data-testid="campaign-open-audience">
              {t('crm.campaign.openAudience')}
            </Link>
            <Link to={broughtHref(campaign.id)}>{t('crm.campaign.brought')}</Link>
          </p>
        </section>
      </div>
      {open === 'edit' ? (
        <CampaignForm
          campaign={campaign}
          onClose={() => setOpen(null)}
          onStale={reload}
          onSaved={(saved) => {
            notify('success', t('crm.campaign.saved', { name: saved.name }));
            setOpen(null);
            setCampaign(saved);
          }}
        />
      ) : open === 'delete' ? (
        <Dialog
          title={t('crm.campaign.deleteTitle', { name: campaign.name })}
          confirmLabel={t('crm.campaign.delete')}
          variant="danger"
          busy={deleting}
          error={deleteError}
          onCancel={() => setOpen(null)}
          onConfirm={remove}
          testId="campaign-delete-dialog"
        >
          <p>{t('crm.campaign.deleteText')}</p>
        </Dialog>
      ) : null}
    </div>
  );
}
