import { useState } from 'react';
import { api } from '../../app/api';
import { FormError, TextField } from '../../app/ui';
import { useFormErrors } from '../../app/use-form-errors';
import { useI18n } from '../../i18n/i18n';
import { type Contact, CRM } from './api';
import { Dialog } from './parts';
import { normalisePhone, splitList } from './phone';

const FIELDS = ['name', 'position', 'phones', 'emails', 'telegram'];

/** Adds a contact person to a client, or changes one. */
export function ContactForm({
  clientId,
  contact,
  onClose,
  onSaved,
}: {
  clientId: string;
  contact: Contact | null;
  onClose(): void;
  onSaved(contact: Contact): void;
}) {
  const { t } = useI18n();
  const errors = useFormErrors();
  const [values, setValues] = useState({
    name: contact?.name ?? '',
    position: contact?.position ?? '',
    phones: contact?.phones.join(', ') ?? '',
    emails: contact?.emails.join(', ') ?? '',
    telegram: contact?.telegram ?? '',
  });
  const [busy, setBusy] = useState(false);
  const set = (field: keyof typeof values) => (value: string) => setValues((v) => ({ ...v, [field]: value }));
  const phones = splitList(values.phones).map(normalisePhone);

  const save = () => {
    errors.clear();
    if (!values.name.trim()) {
      errors.setField('name', t('validation.required'));
      return;
    }
    const body = {
      name: values.name.trim(),
      position: values.position.trim() || null,
      phones: splitList(values.phones),
      emails: splitList(values.emails),
      telegram: values.telegram.trim() || null,
    };
    setBusy(true);
    const request = contact
      ? api<Contact>('PATCH', `${CRM}/contacts/${encodeURIComponent(contact.id)}`, body)
      : api<Contact>('POST', `${CRM}/clients/${encodeURIComponent(clientId)}/contacts`, body);
    request.then(onSaved).catch((error: unknown) => {
      setBusy(false);
      errors.show(error, { knownFields: FIELDS });
    });
  };

  return (
    <Dialog
      title={contact ? t('crm.contact.editTitle') : t('crm.contact.createTitle')}
      confirmLabel={contact ? t('common.save') : t('crm.contact.create')}
      busy={busy}
      onCancel={onClose}
      onConfirm={save}
      testId="contact-dialog"
    >
      <FormError message={errors.general} />
      <TextField
        label={t('crm.fields.contactName')}
        name="name"
        value={values.name}
        onChange={set('name')}
        error={errors.fields.name}
        maxLength={200}
      />
      <TextField
        label={t('crm.fields.position')}
        name="position"
        value={values.position}
        onChange={set('position')}
        error={errors.fields.position}
        maxLength={200}
      />
      <TextField
        label={t('crm.fields.phones')}
        name="phones"
        type="tel"
        value={values.phones}
        onChange={set('phones')}
        error={errors.fields.phones}
        hint={
          phones.length > 0 && phones.every(Boolean)
            ? t('crm.client.phonesSaved', { phones: phones.join(', ') })
            : t('crm.client.phonesHint')
        }
      />
      <TextField
        label={t('crm.fields.emails')}
        name="emails"
        value={values.emails}
        onChange={set('emails')}
        error={errors.fields.emails}
        hint={t('crm.client.listHint')}
      />
      <TextField
        label={t('crm.fields.telegram')}
        name="telegram"
        value={values.telegram}
        onChange={set('telegram')}
        error={errors.fields.telegram}
        placeholder={t('crm.contact.telegramPlaceholder')}
        maxLength={100}
      />
    </Dialog>
  );
}
