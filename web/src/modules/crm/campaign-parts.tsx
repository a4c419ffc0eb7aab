// Pieces every screen of campaigns shows alike: the status badge, the ROI in its colour, the
// audience in words, and the campaigns a client's or deal's form offers.
import { useEffect, useState } from 'react';
import type { I18n } from '../../i18n/i18n';
import { useI18n } from '../../i18n/i18n';
import type { Region } from './api';
import {
  audienceEntries,
  type Campaign,
  type CampaignAudience,
  type CampaignStatus,
  campaignChoices,
  listCampaigns,
} from './campaigns-api';
import type { Option } from './parts';
import './campaigns.css';

export function CampaignStatusBadge({ status }: { status: CampaignStatus }) {
  const { t } = useI18n();
  const label = t(`crm.campaignStatus.${status}`);
  return (
    <span
      className={`badge crm-campaign-status crm-campaign-status-${status}`}
      title={label}
      data-testid="campaign-status"
    >
      {label}
    </span>
  );
}

/** A share (0.25) as a percentage ("25 %"); a dash when there is none. */
export function percentText(i18n: I18n, share: number | null): string {
  return share === null ? '—' : i18n.formatNumber(share, { style: 'percent', maximumFractionDigits: 1 });
}

/** The return on the budget as a percentage: green when it paid back, red when it did not. */
export function RoiText({ roi }: { roi: number | null }) {
  const i18n = useI18n();
  if (roi === null)
    return (
      <span className="muted" data-testid="campaign-roi">
        —
      </span>
    );
  return (
    <span className={roi >= 0 ? 'crm-roi-gain' : 'crm-roi-loss'} data-testid="campaign-roi">
      {`${roi > 0 ? '+' : ''}${percentText(i18n, roi)}`}
    </span>
  );
}

/** "01.03.2026 – 31.03.2026", or one end of it; '' when the campaign has no dates. */
export function periodText(i18n: I18n, campaign: Pick<Campaign, 'startsOn' | 'endsOn'>): string {
  const { t, formatDate } = i18n;
  const { startsOn, endsOn } = campaign;
  if (startsOn && endsOn) return `${formatDate(startsOn)} – ${formatDate(endsOn)}`;
  if (startsOn) return t('crm.campaign.periodFrom', { date: formatDate(startsOn) });
  if (endsOn) return t('crm.campaign.periodTo', { date: formatDate(endsOn) });
  return '';
}

/** The audience in words: "Status: Lead · Region: Toshkent shahri · Segment: Ulgurji". */
export function audienceText(i18n: I18n, audience: CampaignAudience, regions: Region[]): string {
  const { t } = i18n;
  return audienceEntries(audience)
    .map(([key, value]) => {
      const shown =
        key === 'status'
          ? t(`crm.status.${value as NonNullable<CampaignAudience['status']>}`)
          : key === 'kind'
            ? t(`crm.kind.${value as NonNullable<CampaignAudience['kind']>}`)
            : key === 'region'
              ? (regions.find((r) => r.code === value)?.name ?? value)
              : value;
      return `${t(`crm.fields.${key}`)}: ${shown}`;
    })
    .join(' · ');
}

/**
 * The campaigns a client's or deal's form offers (running and planned first), with the one the
 * record has kept even when the list does not reach it.
 */
export function useCampaignOptions(current: { id: string | null; name: string | null } | null): Option[] {
  const { t } = useI18n();
  const [campaigns, setCampaigns] = useState<Pick<Campaign, 'id' | 'name' | 'status'>[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    listCampaigns({ limit: 200, sort: 'name' }, controller.signal)
      .then((page) => setCampaigns(campaignChoices(page.items)))
      .catch(() => {
        // Without the list the form still saves, keeping the campaign the record has.
      });
    return () => controller.abort();
  }, []);
  const options = campaigns.map((c) => ({
    value: c.id,
    label: c.status === 'finished' ? `${c.name} (${t('crm.campaignStatus.finished')})` : c.name,
  }));
  if (current?.id && !options.some((o) => o.value === current.id)) {
    options.push({ value: current.id, label: current.name ?? current.id });
  }
  return options;
}
