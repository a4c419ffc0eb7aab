import { type FormEvent, useState } from 'react';
import { api, fetchPage } from '../../app/api';
import { divideRounded, fromUnits, toUnits } from '../../app/decimal';
import { useSession } from '../../app/session';
import { Button, Drawer, FormError, TextField } from '../../app/ui';
import { useFormErrors } from '../../app/use-form-errors';
import { useI18n } from '../../i18n/i18n';
import { StartProcess } from '../bpm/start-process';
import type { Product } from '../erp/types';
import { type Client, CRM, CURRENCIES, type Currency, type Deal, listClients } from './api';
import { useCampaignOptions } from './campaign-parts';
import { Picker, SelectField, useOwners } from './parts';

type Line = { key: number; productId: string; productName: string; quantity: string; price: string };

const FIELDS = [
  'clientId',
  'title',
  'amount',
  'currency',
  'expectedCloseDate',
  'ownerId',
  'lines',
  'campaignId',
];

/** The sum of quantity × price over the lines, to two decimals (half up), exactly. */
export function linesTotal(lines: { quantity: string; price: string }[]): string {
  let milliCents = 0n; // quantity in thousandths x price in cents
  for (const line of lines) {
    const quantity = toUnits(line.quantity, 3);
    const price = toUnits(line.price, 2);
    if (quantity !== null && price !== null) milliCents += quantity * price;
  }
  return fromUnits(divideRounded(milliCents, 1000n), 2);
}

type Props = {
  /** The client the deal is for; without it the form asks. */
  client?: Pick<Client, 'id' | 'name'> | null;
  pipelineId?: string;
  /** The deal to change; without it the form opens a new one. */
  deal?: Deal | null;
  onClose(): void;
  onSaved(deal: Deal): void;
};

/** The side panel to open or change a deal: client, title, amount, currency, close date and product lines. */
export function DealForm({ client: presetClient, pipelineId, deal, onClose, onSaved }: Props) {
  const { t, formatMoney } = useI18n();
  const { user } = useSession();
  const owners = useOwners();
  const campaigns = useCampaignOptions(deal ? { id: deal.campaignId, name: deal.campaignName } : null);
  const errors = useFormErrors();
  const [client, setClient] = useState<Pick<Client, 'id' | 'name'> | null>(
    deal ? { id: deal.clientId, name: deal.clientName } : (presetClient ?? null),
  );
  const [title, setTitle] = useState(deal?.title ?? '');
  const [amount, setAmount] = useState(deal?.amount ?? '');
  // A deal's amount was settled when it was opened: changing lines no longer rewrites it.
  const [amountTouched, setAmountTouched] = useState(Boolean(deal));
  const [currency, setCurrency] = useState<Currency>(deal?.currency ?? 'UZS');
  const [expectedCloseDate, setExpectedCloseDate] = useState(deal?.expectedCloseDate ?? '');
  const [ownerId, setOwnerId] = useState(deal?.ownerId ?? user?.id ?? '');
  // Left unchosen, a new deal counts for the campaign that brought its client (the server's rule).
  const [campaignId, setCampaignId] = useState(deal?.campaignId ?? '');
  const [lines, setLines] = useState<Line[]>(
    (deal?.lines ?? []).map((line, index) => ({
      key: index + 1,
      productId: line.productId,
      productName: line.productName ?? line.productId,
      quantity: line.quantity,
      price: line.price,
    })),
  );
  const [nextKey, setNextKey] = useState((deal?.lines.length ?? 0) + 1);
  const [busy, setBusy] = useState(false);

  const changeLines = (next: Line[]) => {
    setLines(next);
    if (!amountTouched) setAmount(next.length > 0 ? linesTotal(next) : '');
  };
  const setLine = (key: number, patch: Partial<Line>) =>
    changeLines(lines.map((line) => (line.key === key ? { ...line, ...patch } : line)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    errors.clear();
    let missing = false;
    if (!client) {
      errors.setField('clientId', t('crm.deal.chooseClient'));
      missing = true;
    }
    if (!title.trim()) {
      errors.setField('title', t('validation.required'));
      missing = true;
    }
    if (!client || missing) return;
    setBusy(true);
    const fields = {
      title: title.trim(),
      amount: (amount.trim() || '0').replace(/\s/g, '').replace(',', '.'),
      currency,
      ...(ownerId ? { ownerId } : {}),
      lines: lines.map((line) => ({
        productId: line.productId,
        quantity: line.quantity.replace(',', '.') || '1',
        price: line.price.replace(',', '.') || '0',
      })),
    };
    const saved = deal
      ? api<Deal>('PATCH', `${CRM}/deals/${encodeURIComponent(deal.id)}`, {
          ...fields,
          // An emptied date clears it.
          expectedCloseDate: expectedCloseDate || null,
          ...(campaignId !== (deal.campaignId ?? '') ? { campaignId: campaignId || null } : {}),
        })
      : api<Deal>('POST', `${CRM}/deals`, {
          ...fields,
          clientId: client.id,
          ...(expectedCloseDate ? { expectedCloseDate } : {}),
          ...(pipelineId ? { pipelineId } : {}),
          ...(campaignId ? { campaignId } : {}),
        });
    saved.then(onSaved).catch((error: unknown) => {
      setBusy(false);
      errors.show(error, { knownFields: FIELDS });
    });
  };

  const formId = 'crm-deal-form';
  return (
    <Drawer
      title={deal ? t('crm.deal.editTitle', { title: deal.title }) : t('crm.deal.createTitle')}
      onClose={onClose}
      testId="deal-drawer"
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form={formId} variant="primary" busy={busy} data-testid="deal-save">
            {deal ? t('crm.deal.save') : t('crm.deal.create')}
          </Button>
        </>
      }
    >
      {deal ? (
        <StartProcess context="crm.deal" variables={{ dealId: deal.id, clientId: deal.clientId }} />
      ) : null}
      <form id={formId} onSubmit={submit} noValidate>
        <FormError message={errors.general} />
        {client ? (
          <div className="crm-chosen" data-testid="deal-client">
            <span className="field-label">{t('crm.fields.client')}</span>
            <span className="crm-chosen-value">
              <strong>{client.name}</strong>
              {presetClient || deal ? null : (
                <Button variant="ghost" onClick={() => setClient(null)}>
                  {t('crm.common.change')}
                </Button>
              )}
            </span>
          </div>
        ) : (
          <Picker<Pick<Client, 'id' | 'name'> & Partial<Client>>
            label={t('crm.fields.client')}
            name="clientId"
            placeholder={t('crm.deal.clientPlaceholder')}
            error={errors.fields.clientId}
            testId="deal-client-picker"
            nothing={t('crm.common.nothingFound')}
            search={(q, signal) =>
              listClients({ q, limit: 8, sort: 'name' }, signal).then((page) => page.items)
            }
            itemKey={(c) => c.id}
            itemLabel={(c) => (
              <>
                <strong>{c.name}</strong>
                {c.taxId ? <span className="muted">{` · ${c.taxId}`}</span> : null}
              </>
            )}
            onPick={setClient}
          />
        )}
        <TextField
          label={t('crm.fields.title')}
          name="title"
          value={title}
          onChange={setTitle}
          error={errors.fields.title}
          maxLength={300}
          data-testid="deal-title"
        />
        <div className="crm-form-row">
          <TextField
            label={t('crm.fields.amount')}
            name="amount"
            value={amount}
            onChange={(value) => {
              setAmount(value);
              setAmountTouched(true);
            }}
            error={errors.fields.amount}
            inputMode="decimal"
            hint={
              amount
                ? formatMoney(amount.replace(/\s/g, '').replace(',', '.'), currency)
                : t('crm.deal.amountHint')
            }
            data-testid="deal-amount"
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
        <div className="crm-form-row">
          <TextField
            label={t('crm.fields.expectedCloseDate')}
            name="expectedCloseDate"
            type="date"
            value={expectedCloseDate}
            onChange={setExpectedCloseDate}
            error={errors.fields.expectedCloseDate}
          />
          <SelectField
            label={t('crm.fields.owner')}
            name="ownerId"
            value={ownerId}
            onChange={setOwnerId}
            options={owners}
            error={errors.fields.ownerId}
          />
        </div>
        <SelectField
          label={t('crm.fields.campaign')}
          name="campaignId"
          value={campaignId}
          onChange={setCampaignId}
          options={campaigns}
          empty={deal ? t('crm.common.notChosen') : t('crm.deal.campaignDefault')}
          hint={deal ? '' : t('crm.deal.campaignHint')}
          error={errors.fields.campaignId}
          testId="deal-campaign"
        />
        <fieldset className="crm-lines" data-testid="deal-lines">
          <legend className="section-title">{t('crm.deal.lines')}</legend>
          {errors.fields.lines ? <p className="field-error">{errors.fields.lines}</p> : null}
          {lines.length === 0 ? <p className="muted small">{t('crm.deal.noLines')}</p> : null}
          {lines.map((line, index) => (
            <div key={line.key} className="crm-line" data-testid={`deal-line-${index}`}>
              <span className="crm-line-name">{line.productName}</span>
              <label className="crm-line-field">
                <span className="small muted">{t('crm.fields.quantity')}</span>
                <input
                  className="input"
                  inputMode="decimal"
                  value={line.quantity}
                  onChange={(e) => setLine(line.key, { quantity: e.target.value })}
                  data-testid={`deal-line-${index}-quantity`}
                />
              </label>
              <label className="crm-line-field">
                <span className="small muted">{t('crm.fields.price')}</span>
                <input
                  className="input"
                  inputMode="decimal"
                  value={line.price}
                  onChange={(e) => setLine(line.key, { price: e.target.value })}
                  data-testid={`deal-line-${index}-price`}
                />
              </label>
              <button
                type="button"
                className="icon-button"
                aria-label={t('crm.deal.removeLine', { name: line.productName })}
                onClick={() => changeLines(lines.filter((l) => l.key !== line.key))}
              >
                ✕
              </button>
            </div>
          ))}
          <Picker<Product>
            label={t('crm.deal.addProduct')}
            name="product"
            placeholder={t('crm.deal.productPlaceholder')}
            testId="deal-product-picker"
            nothing={t('crm.common.nothingFound')}
            search={(q, signal) =>
              fetchPage<Product>('/api/erp/products', { q, limit: 8, active: true }, signal).then(
                (page) => page.items,
              )
            }
            itemKey={(p) => p.id}
            itemLabel={(p) => (
              <>
                <strong>{p.name}</strong>
                <span className="muted">{` · ${p.sku}`}</span>
              </>
            )}
            onPick={(product) => {
              changeLines([
                ...lines,
                { key: nextKey, productId: product.id, productName: product.name, quantity: '1', price: '' },
              ]);
              setNextKey((n) => n + 1);
            }}
          />
        </fieldset>
      </form>
    </Drawer>
  );
}
