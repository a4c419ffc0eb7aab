import { type FormEvent, useEffect, useState } from 'react';
import { ApiError } from '../../app/api';
import { Button, Drawer, Field, FormError, TextField } from '../../app/ui';
import { useFormErrors } from '../../app/use-form-errors';
import { useI18n } from '../../i18n/i18n';
import { type Client, type Contact, type DealSummary, getClientCard, listClients } from './api';
import { type Option, Picker, SelectField, toLocalInput, useOwners } from './parts';
import {
  createTicket,
  crmErrorMessage,
  DUE_HOURS,
  isStale,
  type NewTicket,
  TICKET_CHANNELS,
  TICKET_KINDS,
  TICKET_PRIORITIES,
  type TicketChannel,
  type TicketDetail,
  type TicketKind,
  type TicketPatch,
  type TicketPriority,
  updateTicket,
} from './tickets-api';

const FIELDS = [
  'clientId',
  'subject',
  'kind',
  'channel',
  'priority',
  'assigneeId',
  'dueAt',
  'description',
  'contactId',
  'dealId',
];

type ClientRef = Pick<Client, 'id' | 'name'>;

type Props = {
  /** The request to change; without it the form opens a new one. */
  ticket?: TicketDetail | null;
  /** The client a new request is for (opened from their card); without it the form asks. */
  client?: ClientRef | null;
  onClose(): void;
  onSaved(ticket: TicketDetail): void;
  /** Someone changed the request meanwhile: the card reads it again, the form stays open. */
  onStale?(): void;
};

/** The side panel to record a client's question, request, complaint or feedback, or to change it. */
export function TicketForm({ ticket, client: presetClient, onClose, onSaved, onStale }: Props) {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const owners = useOwners();
  const errors = useFormErrors();
  const [client, setClient] = useState<ClientRef | null>(
    ticket ? { id: ticket.clientId, name: ticket.clientName } : (presetClient ?? null),
  );
  const [subject, setSubject] = useState(ticket?.subject ?? '');
  const [kind, setKind] = useState<TicketKind>(ticket?.kind ?? 'request');
  const [channel, setChannel] = useState<TicketChannel>(ticket?.channel ?? 'phone');
  const [priority, setPriority] = useState<TicketPriority>(ticket?.priority ?? 'normal');
  const [assigneeId, setAssigneeId] = useState(ticket?.assigneeId ?? '');
  const initialDue = ticket ? toLocalInput(new Date(ticket.dueAt)) : '';
  const [dueAt, setDueAt] = useState(initialDue);
  const [description, setDescription] = useState(ticket?.description ?? '');
  const [contactId, setContactId] = useState(ticket?.contactId ?? '');
  const [dealId, setDealId] = useState(ticket?.dealId ?? '');
  const [related, setRelated] = useState<{ contacts: Contact[]; deals: DealSummary[] }>({
    contacts: [],
    deals: [],
  });
  // Our sentence for a refusal the app's catalogue does not know (the request changed meanwhile).
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const clientId = client?.id;
  useEffect(() => {
    if (!clientId) return;
    const controller = new AbortController();
    getClientCard(clientId, controller.signal)
      .then((card) => setRelated({ contacts: card.contacts, deals: card.deals }))
      .catch(() => {
        // Without them the request is still recorded, only not tied to a contact or deal.
      });
    return () => controller.abort();
  }, [clientId]);

  const fail = (error: unknown) => {
    setBusy(false);
    if (error instanceof ApiError && error.issues.length === 0 && error.code.startsWith('TICKET_')) {
      errors.clear();
      setRefusal(crmErrorMessage(error, i18n));
      if (isStale(error)) onStale?.();
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
    if (!client) {
      errors.setField('clientId', t('crm.deal.chooseClient'));
      missing = true;
    }
    if (!subject.trim()) {
      errors.setField('subject', t('validation.required'));
      missing = true;
    }
    const due = dueAt ? new Date(dueAt) : null;
    if (due && Number.isNaN(due.getTime())) {
      errors.setField('dueAt', t('crm.activity.dueInvalid'));
      missing = true;
    } else if (ticket && !due) {
      errors.setField('dueAt', t('crm.ticket.dueRequired'));
      missing = true;
    }
    if (!client || missing) return;
    setBusy(true);
    if (ticket) {
      const patch = changes(ticket, {
        subject: subject.trim(),
        description: description.trim() || null,
        kind,
        channel,
        priority,
        contactId: contactId || null,
        dealId: dealId || null,
        assigneeId: assigneeId || null,
        ...(due && dueAt !== initialDue ? { dueAt: due.toISOString() } : {}),
      });
      if (Object.keys(patch).length === 0) {
        onClose();
        return;
      }
      updateTicket(ticket, patch).then(onSaved).catch(fail);
      return;
    }
    const fields: NewTicket = {
      clientId: client.id,
      subject: subject.trim(),
      kind,
      channel,
      priority,
      ...(description.trim() ? { description: description.trim() } : {}),
      ...(contactId ? { contactId } : {}),
      ...(dealId ? { dealId } : {}),
      ...(assigneeId ? { assigneeId } : {}),
      ...(due ? { dueAt: due.toISOString() } : {}),
    };
    createTicket(fields).then(onSaved).catch(fail);
  };

  const assignees: Option[] =
    ticket?.assigneeId && !owners.some((o) => o.value === ticket.assigneeId)
      ? [...owners, { value: ticket.assigneeId, label: ticket.assigneeName ?? ticket.assigneeId }]
      : owners;
  // A new request may leave it to the server; a request with an assignee keeps one.
  const assigneeEmpty = !ticket
    ? t('crm.ticket.assigneeDefault')
    : ticket.assigneeId
      ? undefined
      : t('crm.common.notChosen');
  const defaultDue = formatDateTime(Date.now() + DUE_HOURS[priority] * 3_600_000);
  const formId = 'crm-ticket-form';
  return (
    <Drawer
      title={ticket ? t('crm.ticket.editTitle', { number: ticket.number }) : t('crm.ticket.createTitle')}
      onClose={onClose}
      testId="ticket-drawer"
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form={formId} variant="primary" busy={busy} data-testid="ticket-save">
            {ticket ? t('crm.ticket.save') : t('crm.ticket.create')}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate>
        <FormError message={refusal ?? errors.general} />
        {client ? (
          <div className="crm-chosen" data-testid="ticket-client">
            <span className="field-label">{t('crm.fields.client')}</span>
            <span className="crm-chosen-value">
              <strong>{client.name}</strong>
              {presetClient || ticket ? null : (
                <Button
                  variant="ghost"
                  onClick={() => {
                    setClient(null);
                    setContactId('');
                    setDealId('');
                    setRelated({ contacts: [], deals: [] });
                  }}
                >
                  {t('crm.common.change')}
                </Button>
              )}
            </span>
          </div>
        ) : (
          <Picker<Client>
            label={t('crm.fields.client')}
            name="clientId"
            placeholder={t('crm.deal.clientPlaceholder')}
            error={errors.fields.clientId}
            testId="ticket-client-picker"
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
            onPick={(picked) => {
              setClient(picked);
              errors.setField('clientId', '');
            }}
          />
        )}
        <TextField
          label={t('crm.fields.subject')}
          name="subject"
          value={subject}
          onChange={(value) => {
            setSubject(value);
            if (errors.fields.subject) errors.setField('subject', '');
          }}
          error={errors.fields.subject}
          hint={t('crm.ticket.subjectHint')}
          maxLength={300}
          data-testid="ticket-subject"
        />
        <Choice<TicketKind>
          label={t('crm.fields.ticketKind')}
          name="kind"
          value={kind}
          options={TICKET_KINDS.map((k) => ({ value: k, label: t(`crm.ticketKind.${k}`) }))}
          onChange={setKind}
          error={errors.fields.kind}
        />
        <Choice<TicketPriority>
          label={t('crm.fields.priority')}
          name="priority"
          value={priority}
          options={TICKET_PRIORITIES.map((p) => ({ value: p, label: t(`crm.ticketPriority.${p}`) }))}
          onChange={setPriority}
          error={errors.fields.priority}
        />
        <div className="crm-form-row">
          <SelectField
            label={t('crm.fields.channel')}
            name="channel"
            value={channel}
            onChange={(value) => setChannel(value as TicketChannel)}
            options={TICKET_CHANNELS.map((c) => ({ value: c, label: t(`crm.ticketChannel.${c}`) }))}
            error={errors.fields.channel}
            testId="ticket-channel"
          />
          <SelectField
            label={t('crm.fields.assignee')}
            name="assigneeId"
            value={assigneeId}
            onChange={setAssigneeId}
            options={assignees}
            empty={assigneeEmpty}
            error={errors.fields.assigneeId}
            testId="ticket-assignee"
          />
        </div>
        <TextField
          label={t('crm.fields.dueAt')}
          name="dueAt"
          type="datetime-local"
          value={dueAt}
          onChange={setDueAt}
          error={errors.fields.dueAt}
          hint={ticket ? t('crm.ticket.dueEditHint') : t('crm.ticket.dueHint', { time: defaultDue })}
        />
        {related.contacts.length > 0 || related.deals.length > 0 || contactId || dealId ? (
          <div className="crm-form-row">
            <SelectField
              label={t('crm.fields.contact')}
              name="contactId"
              value={contactId}
              onChange={setContactId}
              options={withCurrent(
                related.contacts.map((c) => ({ value: c.id, label: c.name })),
                ticket?.contactId,
                ticket?.contactName,
              )}
              empty={t('crm.common.notChosen')}
              error={errors.fields.contactId}
            />
            <SelectField
              label={t('crm.fields.deal')}
              name="dealId"
              value={dealId}
              onChange={setDealId}
              options={withCurrent(
                related.deals.map((d) => ({ value: d.id, label: d.title })),
                ticket?.dealId,
                ticket?.dealTitle,
              )}
              empty={t('crm.common.notChosen')}
              error={errors.fields.dealId}
            />
          </div>
        ) : null}
        <Field label={t('crm.fields.description')} name="description" error={errors.fields.description}>
          {(control) => (
            <textarea
              className="input"
              rows={5}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              data-testid="ticket-description"
              {...control}
            />
          )}
        </Field>
      </form>
    </Drawer>
  );
}

/** The fields that differ from the request as it was read, so the history records only those. */
function changes(ticket: TicketDetail, next: TicketPatch): TicketPatch {
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(next)) {
    if (key === 'dueAt' || ticket[key as keyof TicketDetail] !== value) patch[key] = value;
  }
  return patch as TicketPatch;
}

/** The choices, with the current one kept when the list no longer has it (a deal since removed). */
function withCurrent(options: Option[], id: string | null | undefined, label: string | null | undefined) {
  if (!id || options.some((o) => o.value === id)) return options;
  return [...options, { value: id, label: label ?? id }];
}

/** One of a few values as a row of radio buttons. */
function Choice<T extends string>({
  label,
  name,
  value,
  options,
  onChange,
  error,
}: {
  label: string;
  name: string;
  value: T;
  options: { value: T; label: string }[];
  onChange(value: T): void;
  error?: string | undefined;
}) {
  return (
    <Field label={label} name={name} error={error}>
      {() => (
        <div className="segmented crm-ticket-choice" role="radiogroup" aria-label={label}>
          {options.map((option) => (
            <label key={option.value} className={value === option.value ? 'segmented-on' : undefined}>
              <input
                type="radio"
                name={name}
                value={option.value}
                checked={value === option.value}
                onChange={() => onChange(option.value)}
                data-testid={`ticket-${name}-${option.value}`}
              />
              {option.label}
            </label>
          ))}
        </div>
      )}
    </Field>
  );
}
