import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../../app/api';
import { Link } from '../../app/router';
import { useSession } from '../../app/session';
import { Button, Drawer, Field, FormError, TextField } from '../../app/ui';
import { useFormErrors } from '../../app/use-form-errors';
import { useI18n } from '../../i18n/i18n';
import { CLIENT_KINDS, CLIENT_STATUSES, type Client, type ClientKind, CRM, type Duplicate } from './api';
import { useCampaignOptions } from './campaign-parts';
import { SelectField, useOwners, useRegions } from './parts';
import { normalisePhone, splitList, taxIdLength, taxIdProblem } from './phone';

const FIELDS = [
  'kind',
  'name',
  'taxId',
  'region',
  'industry',
  'segment',
  'source',
  'status',
  'ownerId',
  'phones',
  'emails',
  'tags',
  'website',
  'address',
  'notes',
  'campaignId',
];

type Props = {
  client: Client | null;
  onClose(): void;
  onSaved(client: Client, created: boolean): void;
};

/** The side panel to add a client or change one's data; warns about duplicates before creating. */
export function ClientForm({ client, onClose, onSaved }: Props) {
  const { t } = useI18n();
  const { user } = useSession();
  const errors = useFormErrors();
  const regions = useRegions();
  const owners = useOwners();
  const campaigns = useCampaignOptions(client ? { id: client.campaignId, name: client.campaignName } : null);
  const creating = client === null;
  const [values, setValues] = useState<Record<string, string>>(() => ({
    kind: client?.kind ?? 'company',
    name: client?.name ?? '',
    taxId: client?.taxId ?? '',
    region: client?.region ?? '',
    industry: client?.industry ?? '',
    segment: client?.segment ?? '',
    source: client?.source ?? '',
    status: client?.status ?? 'lead',
    ownerId: client?.ownerId ?? user?.id ?? '',
    phones: client?.phones.join(', ') ?? '',
    emails: client?.emails.join(', ') ?? '',
    tags: client?.tags.join(', ') ?? '',
    website: client?.website ?? '',
    address: client?.address ?? '',
    notes: client?.notes ?? '',
    campaignId: client?.campaignId ?? '',
  }));
  const [busy, setBusy] = useState(false);
  const [duplicates, setDuplicates] = useState<Duplicate[]>([]);
  const set = (field: string) => (value: string) => setValues((v) => ({ ...v, [field]: value }));
  const kind = (values.kind ?? 'company') as ClientKind;

  const phones = splitList(values.phones ?? '');
  const normalised = phones.map((phone) => normalisePhone(phone));
  const phoneHint =
    phones.length === 0
      ? t('crm.client.phonesHint')
      : normalised.some((p) => p === null)
        ? t('crm.client.phoneUnclear', { phone: phones[normalised.indexOf(null)] ?? '' })
        : t('crm.client.phonesSaved', { phones: normalised.join(', ') });
  const taxProblem = taxIdProblem(kind, values.taxId ?? '');
  const taxHint = t(kind === 'company' ? 'crm.client.taxIdCompanyHint' : 'crm.client.taxIdPersonHint');

  const save = (confirmDuplicate: boolean) => {
    errors.clear();
    const v = (field: string) => values[field]?.trim() ?? '';
    if (!v('name')) {
      errors.setField('name', t('validation.required'));
      return;
    }
    if (taxProblem) {
      errors.setField('taxId', t('crm.client.taxIdLength', { length: taxIdLength(kind) }));
      return;
    }
    const orNull = (field: string) => v(field) || null;
    const body = {
      kind,
      name: v('name'),
      taxId: v('taxId').replace(/\s/g, '') || null,
      region: orNull('region'),
      industry: orNull('industry'),
      segment: orNull('segment'),
      source: orNull('source'),
      status: v('status') || 'lead',
      ...(v('ownerId') ? { ownerId: v('ownerId') } : {}),
      phones: splitList(v('phones')),
      emails: splitList(v('emails')),
      tags: splitList(v('tags')),
      website: orNull('website'),
      address: orNull('address'),
      notes: orNull('notes'),
      campaignId: v('campaignId') || null,
      ...(creating && confirmDuplicate ? { confirmDuplicate: true } : {}),
    };
    setBusy(true);
    const request = creating
      ? api<Client>('POST', `${CRM}/clients`, body)
      : api<Client>('PATCH', `${CRM}/clients/${encodeURIComponent(client.id)}`, body);
    request
      .then((saved) => onSaved(saved, creating))
      .catch((error: unknown) => {
        setBusy(false);
        if (error instanceof ApiError && error.code === 'CLIENT_DUPLICATE') {
          const found = Array.isArray(error.details.duplicates)
            ? (error.details.duplicates as Duplicate[])
            : [];
          setDuplicates(found);
          return;
        }
        setDuplicates([]);
        errors.show(error, { knownFields: FIELDS, codeFields: { TAX_ID_INVALID: 'taxId' } });
      });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDuplicates([]);
    save(false);
  };

  const formId = 'crm-client-form';
  const option = (prefix: 'crm.kind' | 'crm.status', value: string) => ({
    value,
    label: t(`${prefix}.${value}` as Parameters<typeof t>[0]),
  });
  const text = (field: string, label: string, extra: Record<string, unknown> = {}) => (
    <TextField
      label={label}
      name={field}
      value={values[field] ?? ''}
      onChange={set(field)}
      error={errors.fields[field]}
      {...extra}
    />
  );

  return (
    <Drawer
      title={creating ? t('crm.client.createTitle') : t('crm.client.editTitle', { name: client.name })}
      onClose={onClose}
      testId="client-drawer"
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form={formId} variant="primary" busy={busy} data-testid="client-save">
            {creating ? t('crm.client.create') : t('common.save')}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate>
        {duplicates.length > 0 ? (
          <div className="crm-duplicates" role="alert" data-testid="client-duplicates">
            <p>
              <strong>{t('crm.client.duplicateTitle')}</strong>
            </p>
            <ul>
              {duplicates.map((duplicate) => (
                <li key={`${duplicate.id}-${duplicate.matchedOn}`}>
                  <Link
                    to={`/crm/clients/${encodeURIComponent(duplicate.id)}`}
                    target="_blank"
                    rel="noopener"
                  >
                    {duplicate.name}
                  </Link>
                  <span className="muted">{` · ${t(`crm.client.matchedOn.${duplicate.matchedOn}`)}`}</span>
                </li>
              ))}
            </ul>
            <Button
              variant="primary"
              busy={busy}
              onClick={() => save(true)}
              data-testid="client-create-anyway"
            >
              {t('crm.client.createAnyway')}
            </Button>
          </div>
        ) : null}
        <FormError message={errors.general} />
        <Field label={t('crm.fields.kind')} name="kind">
          {() => (
            <div className="segmented" role="radiogroup" aria-label={t('crm.fields.kind')}>
              {CLIENT_KINDS.map((k) => (
                <label key={k} className={kind === k ? 'segmented-on' : undefined}>
                  <input
                    type="radio"
                    name="kind"
                    value={k}
                    checked={kind === k}
                    onChange={() => set('kind')(k)}
                  />
                  {t(`crm.kind.${k}`)}
                </label>
              ))}
            </div>
          )}
        </Field>
        {text('name', kind === 'company' ? t('crm.fields.companyName') : t('crm.fields.personName'), {
          maxLength: 300,
          autoComplete: 'off',
        })}
        <TextField
          label={kind === 'company' ? t('crm.fields.taxIdCompany') : t('crm.fields.taxIdPerson')}
          name="taxId"
          value={values.taxId ?? ''}
          onChange={set('taxId')}
          error={
            errors.fields.taxId ??
            (taxProblem && (values.taxId ?? '').replace(/\s/g, '').length >= taxIdLength(kind)
              ? t('crm.client.taxIdLength', { length: taxIdLength(kind) })
              : undefined)
          }
          hint={taxHint}
          inputMode="numeric"
          maxLength={20}
        />
        {text('phones', t('crm.fields.phones'), { type: 'tel', hint: phoneHint, maxLength: 300 })}
        {text('emails', t('crm.fields.emails'), { hint: t('crm.client.listHint'), maxLength: 500 })}
        <SelectField
          label={t('crm.fields.region')}
          name="region"
          value={values.region ?? ''}
          onChange={set('region')}
          options={regions.map((r) => ({ value: r.code, label: r.name }))}
          empty={t('crm.common.notChosen')}
          error={errors.fields.region}
        />
        {text('industry', t('crm.fields.industry'), { maxLength: 200 })}
        <div className="crm-form-row">
          {text('segment', t('crm.fields.segment'), { maxLength: 200 })}
          {text('source', t('crm.fields.source'), { maxLength: 200 })}
        </div>
        <SelectField
          label={t('crm.fields.campaign')}
          name="campaignId"
          value={values.campaignId ?? ''}
          onChange={set('campaignId')}
          options={campaigns}
          empty={t('crm.common.notChosen')}
          hint={t('crm.client.campaignHint')}
          error={errors.fields.campaignId}
          testId="client-campaign"
        />
        <div className="crm-form-row">
          <SelectField
            label={t('crm.fields.status')}
            name="status"
            value={values.status ?? 'lead'}
            onChange={set('status')}
            options={CLIENT_STATUSES.map((s) => option('crm.status', s))}
            error={errors.fields.status}
          />
          <SelectField
            label={t('crm.fields.owner')}
            name="ownerId"
            value={values.ownerId ?? ''}
            onChange={set('ownerId')}
            options={owners}
            error={errors.fields.ownerId}
          />
        </div>
        {text('tags', t('crm.fields.tags'), { hint: t('crm.client.listHint'), maxLength: 500 })}
        {text('website', t('crm.fields.website'), { type: 'url', maxLength: 300 })}
        {text('address', t('crm.fields.address'), { maxLength: 500 })}
        <Field label={t('crm.fields.notes')} name="notes" error={errors.fields.notes}>
          {(control) => (
            <textarea
              className="input"
              rows={3}
              value={values.notes ?? ''}
              onChange={(event) => set('notes')(event.target.value)}
              {...control}
            />
          )}
        </Field>
      </form>
    </Drawer>
  );
}
