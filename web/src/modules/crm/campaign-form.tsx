import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../app/api';
import { useSession } from '../../app/session';
import { Button, Drawer, Field, FormError, TextField } from '../../app/ui';
import { useFormErrors } from '../../app/use-form-errors';
import { useI18n } from '../../i18n/i18n';
import { CLIENT_KINDS, CLIENT_STATUSES, CURRENCIES, type Currency } from './api';
import {
  AUDIENCE_FILTERS,
  CAMPAIGN_CHANNELS,
  CAMPAIGN_STATUSES,
  type CampaignAudience,
  type CampaignChannel,
  type CampaignDetail,
  type CampaignPatch,
  type CampaignStatus,
  codeFromName,
  createCampaign,
  isCampaignStale,
  type NewCampaign,
  updateCampaign,
} from './campaigns-api';
import { type Option, SelectField, useOwners, useRegions } from './parts';
import { crmErrorMessage } from './tickets-api';

const FIELDS = [
  'code',
  'name',
  'channel',
  'status',
  'startsOn',
  'endsOn',
  'budget',
  'currency',
  'ownerId',
  'description',
  'audience',
];

type AudienceValues = Record<(typeof AUDIENCE_FILTERS)[number], string>;

type Props = {
  /** The campaign to change; without it the form plans a new one. */
  campaign?: CampaignDetail | null;
  onClose(): void;
  onSaved(campaign: CampaignDetail): void;
  /** Someone changed the campaign meanwhile: the card reads it again, the form stays open. */
  onStale?(): void;
};

/** An amount as typed ("5 000 000,50") as the API takes it ("5000000.50"). */
const plainAmount = (text: string) => text.replace(/\s/g, '').replace(',', '.');

/** The side panel to plan a marketing campaign or change one: what, when, at what cost, for whom. */
export function CampaignForm({ campaign, onClose, onSaved, onStale }: Props) {
  const i18n = useI18n();
  const { t, formatMoney } = i18n;
  const { user } = useSession();
  const owners = useOwners();
  const regions = useRegions();
  const errors = useFormErrors();
  const [code, setCode] = useState(campaign?.code ?? '');
  // A new campaign's code follows its name until the code is typed itself.
  const [codeTouched, setCodeTouched] = useState(Boolean(campaign));
  const [name, setName] = useState(campaign?.name ?? '');
  const [channel, setChannel] = useState<CampaignChannel>(campaign?.channel ?? 'sms');
  const [status, setStatus] = useState<CampaignStatus>(campaign?.status ?? 'planned');
  const [startsOn, setStartsOn] = useState(campaign?.startsOn ?? '');
  const [endsOn, setEndsOn] = useState(campaign?.endsOn ?? '');
  const [budget, setBudget] = useState(campaign?.budget ?? '');
  const [currency, setCurrency] = useState<Currency>(campaign?.currency ?? 'UZS');
  const [ownerId, setOwnerId] = useState(campaign ? (campaign.ownerId ?? '') : (user?.id ?? ''));
  const [description, setDescription] = useState(campaign?.description ?? '');
  const [audience, setAudience] = useState<AudienceValues>(() => ({
    status: campaign?.audience.status ?? '',
    kind: campaign?.audience.kind ?? '',
    region: campaign?.audience.region ?? '',
    segment: campaign?.audience.segment ?? '',
    source: campaign?.audience.source ?? '',
    tag: campaign?.audience.tag ?? '',
  }));
  // Our sentence for a refusal about the whole campaign (changed meanwhile).
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Counts refusals: after each, the first field said to be wrong is scrolled into view (the
  // code, at the top, is refused after a click on the button at the bottom).
  const [refused, setRefused] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (refused === 0) return;
    formRef.current
      ?.querySelector('.form-error, .field-invalid, .field-error')
      ?.scrollIntoView({ block: 'nearest' });
  }, [refused]);

  const clearError = (field: string) => {
    if (errors.fields[field]) errors.setField(field, '');
  };
  const setAudienceValue = (key: keyof AudienceValues) => (value: string) => {
    setAudience((current) => ({ ...current, [key]: value }));
    clearError('audience');
  };

  const fail = (error: unknown) => {
    setBusy(false);
    setRefused((n) => n + 1);
    if (error instanceof ApiError && error.issues.length === 0 && error.code.startsWith('CAMPAIGN_')) {
      errors.clear();
      setRefusal(crmErrorMessage(error, i18n));
      if (isCampaignStale(error)) onStale?.();
      return;
    }
    setRefusal(null);
    errors.show(error, { knownFields: FIELDS });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    errors.clear();
    setRefusal(null);
    let missing = false;
    if (!code.trim()) {
      errors.setField('code', t('validation.required'));
      missing = true;
    }
    if (!name.trim()) {
      errors.setField('name', t('validation.required'));
      missing = true;
    }
    // A date field left with a text that is no date passes it on as it is.
    for (const [field, value] of [
      ['startsOn', startsOn],
      ['endsOn', endsOn],
    ] as const) {
      if (value && !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
        errors.setField(field, t('date.invalid'));
        missing = true;
      }
    }
    if (missing) {
      setRefused((n) => n + 1);
      return;
    }
    const aimedAt: CampaignAudience = {};
    for (const key of AUDIENCE_FILTERS) {
      const value = audience[key].trim();
      if (value) Object.assign(aimedAt, { [key]: value });
    }
    const fields = {
      code: code.trim().toLowerCase(),
      name: name.trim(),
      channel,
      status,
      startsOn: startsOn || null,
      endsOn: endsOn || null,
      budget: budget.trim() ? plainAmount(budget) : null,
      currency,
      ownerId: ownerId || null,
      audience: aimedAt,
      description: description.trim() || null,
    } satisfies NewCampaign;
    setBusy(true);
    if (campaign) {
      const patch = changes(campaign, fields);
      if (Object.keys(patch).length === 0) {
        onClose();
        return;
      }
      updateCampaign(campaign, patch).then(onSaved).catch(fail);
      return;
    }
    createCampaign(fields).then(onSaved).catch(fail);
  };

  const ownerOptions: Option[] =
    campaign?.ownerId && !owners.some((o) => o.value === campaign.ownerId)
      ? [...owners, { value: campaign.ownerId, label: campaign.ownerName ?? campaign.ownerId }]
      : owners;
  const budgetText = plainAmount(budget);
  const formId = 'crm-campaign-form';
  return (
    <Drawer
      title={campaign ? t('crm.campaign.editTitle', { name: campaign.name }) : t('crm.campaign.createTitle')}
      onClose={onClose}
      testId="campaign-drawer"
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form={formId} variant="primary" busy={busy} data-testid="campaign-save">
            {campaign ? t('common.save') : t('crm.campaign.create')}
          </Button>
        </>
      }
    >
      <form id={formId} ref={formRef} onSubmit={submit} noValidate>
        <FormError message={refusal ?? errors.general} />
        <TextField
          label={t('crm.fields.name')}
          name="name"
          value={name}
          onChange={(value) => {
            setName(value);
            clearError('name');
            if (!codeTouched) setCode(codeFromName(value));
          }}
          error={errors.fields.name}
          hint={t('crm.campaign.nameHint')}
          maxLength={200}
          autoComplete="off"
          data-testid="campaign-name"
        />
        <TextField
          label={t('crm.fields.code')}
          name="code"
          value={code}
          onChange={(value) => {
            setCode(value.toLowerCase());
            setCodeTouched(true);
            clearError('code');
          }}
          error={errors.fields.code}
          hint={t('crm.campaign.codeHint')}
          maxLength={60}
          autoComplete="off"
          spellCheck={false}
          data-testid="campaign-code"
        />
        <div className="crm-form-row">
          <SelectField
            label={t('crm.fields.channel')}
            name="channel"
            value={channel}
            onChange={(value) => setChannel(value as CampaignChannel)}
            options={CAMPAIGN_CHANNELS.map((c) => ({ value: c, label: t(`crm.campaignChannel.${c}`) }))}
            error={errors.fields.channel}
            testId="campaign-channel"
          />
          <SelectField
            label={t('crm.fields.status')}
            name="status"
            value={status}
            onChange={(value) => setStatus(value as CampaignStatus)}
            options={CAMPAIGN_STATUSES.map((s) => ({ value: s, label: t(`crm.campaignStatus.${s}`) }))}
            error={errors.fields.status}
            testId="campaign-status-select"
          />
        </div>
        <div className="crm-form-row">
          <TextField
            label={t('crm.fields.startsOn')}
            name="startsOn"
            type="date"
            value={startsOn}
            onChange={(value) => {
              setStartsOn(value);
              clearError('startsOn');
            }}
            error={errors.fields.startsOn}
            data-testid="campaign-starts"
          />
          <TextField
            label={t('crm.fields.endsOn')}
            name="endsOn"
            type="date"
            value={endsOn}
            min={startsOn || undefined}
            onChange={(value) => {
              setEndsOn(value);
              clearError('endsOn');
            }}
            error={errors.fields.endsOn}
            data-testid="campaign-ends"
          />
        </div>
        <div className="crm-form-row">
          <TextField
            label={t('crm.fields.budget')}
            name="budget"
            value={budget}
            onChange={(value) => {
              setBudget(value);
              clearError('budget');
            }}
            error={errors.fields.budget}
            inputMode="decimal"
            hint={budgetText ? formatMoney(budgetText, currency) : t('crm.campaign.budgetHint')}
            data-testid="campaign-budget"
          />
          <SelectField
            label={t('crm.fields.currency')}
            name="currency"
            value={currency}
            onChange={(value) => setCurrency(value as Currency)}
            options={CURRENCIES.map((c) => ({ value: c, label: c }))}
            error={errors.fields.currency}
          />
        </div>
        <SelectField
          label={t('crm.fields.owner')}
          name="ownerId"
          value={ownerId}
          onChange={setOwnerId}
          options={ownerOptions}
          empty={t('crm.common.notChosen')}
          error={errors.fields.ownerId}
        />
        <Field label={t('crm.fields.description')} name="description" error={errors.fields.description}>
          {(control) => (
            <textarea
              className="input"
              rows={3}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              data-testid="campaign-description"
              {...control}
            />
          )}
        </Field>
        <fieldset className="crm-campaign-audience" data-testid="campaign-audience-fields">
          <legend className="section-title">{t('crm.campaign.audience')}</legend>
          <p className="field-hint">{t('crm.campaign.audienceHint')}</p>
          {errors.fields.audience ? (
            <p className="field-error" data-testid="error-audience">
              {errors.fields.audience}
            </p>
          ) : null}
          <div className="crm-form-row">
            <SelectField
              label={t('crm.fields.status')}
              name="audienceStatus"
              value={audience.status}
              onChange={setAudienceValue('status')}
              options={CLIENT_STATUSES.map((s) => ({ value: s, label: t(`crm.status.${s}`) }))}
              empty={t('crm.clients.allStatuses')}
              testId="campaign-audience-status"
            />
            <SelectField
              label={t('crm.fields.kind')}
              name="audienceKind"
              value={audience.kind}
              onChange={setAudienceValue('kind')}
              options={CLIENT_KINDS.map((k) => ({ value: k, label: t(`crm.kind.${k}`) }))}
              empty={t('crm.campaign.anyKind')}
            />
          </div>
          <SelectField
            label={t('crm.fields.region')}
            name="audienceRegion"
            value={audience.region}
            onChange={setAudienceValue('region')}
            options={withCurrent(
              regions.map((r) => ({ value: r.code, label: r.name })),
              campaign?.audience.region,
            )}
            empty={t('crm.clients.allRegions')}
            testId="campaign-audience-region"
          />
          <div className="crm-form-row">
            <TextField
              label={t('crm.fields.segment')}
              name="audienceSegment"
              value={audience.segment}
              onChange={setAudienceValue('segment')}
              maxLength={100}
              data-testid="campaign-audience-segment"
            />
            <TextField
              label={t('crm.fields.source')}
              name="audienceSource"
              value={audience.source}
              onChange={setAudienceValue('source')}
              maxLength={100}
            />
          </div>
          <TextField
            label={t('crm.fields.tag')}
            name="audienceTag"
            value={audience.tag}
            onChange={setAudienceValue('tag')}
            maxLength={50}
          />
        </fieldset>
      </form>
    </Drawer>
  );
}

/** The fields that differ from the campaign as it was read. */
function changes(campaign: CampaignDetail, next: NewCampaign): CampaignPatch {
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(next)) {
    const before = campaign[key as keyof CampaignDetail];
    if (JSON.stringify(before ?? null) !== JSON.stringify(value ?? null)) patch[key] = value;
  }
  return patch as CampaignPatch;
}

/** The choices, with the current one kept when the list no longer has it (a region since renamed). */
function withCurrent(options: Option[], value: string | undefined): Option[] {
  if (!value || options.some((o) => o.value === value)) return options;
  return [...options, { value, label: value }];
}
