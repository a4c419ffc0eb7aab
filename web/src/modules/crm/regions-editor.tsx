import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, api } from '../../app/api';
import { errorMessage } from '../../app/errors';
import { Button, Drawer, FormError, TextField } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import { CRM, getRegions, type Region } from './api';

type Props = { onClose(): void; onSaved(): void };

/**
 * The list of regions clients are filed under: rename any, add new ones (a code and a name).
 * Saving sends only the changed and new rows; a refused one keeps its message next to it.
 */
export function RegionsEditor({ onClose, onSaved }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const [regions, setRegions] = useState<Region[] | null>(null);
  const [names, setNames] = useState<Record<string, string>>({});
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    getRegions(controller.signal)
      .then((items) => {
        setRegions(items);
        setNames(Object.fromEntries(items.map((r) => [r.code, r.name])));
      })
      .catch((reason: unknown) => {
        if (!controller.signal.aborted) setGeneral(errorMessage(reason, i18n));
      });
    return () => controller.abort();
  }, [i18n]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!regions) return;
    const found: Record<string, string> = {};
    const changed = regions.filter((r) => (names[r.code] ?? '').trim() !== r.name);
    for (const r of changed)
      if (!(names[r.code] ?? '').trim()) found[`name:${r.code}`] = t('validation.required');
    const adding = code.trim() !== '' || name.trim() !== '';
    if (adding) {
      if (!/^[A-Za-z0-9_-]{1,20}$/.test(code.trim())) found['new:code'] = t('crm.regions.codeRule');
      else if (regions.some((r) => r.code.toLowerCase() === code.trim().toLowerCase()))
        found['new:code'] = t('crm.regions.codeTaken');
      if (!name.trim()) found['new:name'] = t('validation.required');
    }
    setErrors(found);
    setGeneral(null);
    if (Object.keys(found).length > 0) return;
    const requests = [
      ...changed.map((r) => ({
        key: `name:${r.code}`,
        body: { code: r.code, name: (names[r.code] ?? '').trim() },
      })),
      ...(adding ? [{ key: 'new', body: { code: code.trim().toUpperCase(), name: name.trim() } }] : []),
    ];
    if (requests.length === 0) {
      onClose();
      return;
    }
    setBusy(true);
    // One region per request, as the API takes them; stop at the first refusal and show it there.
    for (const request of requests) {
      try {
        await api<Region>('POST', `${CRM}/regions`, request.body);
      } catch (error) {
        setBusy(false);
        const issue = error instanceof ApiError ? error.issues[0] : undefined;
        if (issue && request.key === 'new') setErrors({ [`new:${issue.path}`]: issue.message });
        else if (issue) setErrors({ [request.key]: issue.message });
        else setGeneral(errorMessage(error, i18n));
        return;
      }
    }
    setBusy(false);
    onSaved();
  };

  const formId = 'crm-regions-editor';
  return (
    <Drawer
      title={t('crm.regions.title')}
      onClose={onClose}
      testId="regions-editor"
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form={formId} variant="primary" busy={busy} data-testid="regions-save">
            {t('crm.regions.save')}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate>
        <p className="muted small">{t('crm.regions.lead')}</p>
        <FormError message={general} />
        {regions === null ? null : regions.length === 0 ? (
          <p className="muted">{t('crm.regions.empty')}</p>
        ) : (
          <ul className="crm-region-rows">
            {regions.map((region) => (
              <li key={region.code} className="crm-region-row" data-testid={`region-row-${region.code}`}>
                <span className="crm-region-code muted small">{region.code}</span>
                <TextField
                  label={t('crm.regions.name', { code: region.code })}
                  name={`region-${region.code}`}
                  value={names[region.code] ?? ''}
                  onChange={(value) => setNames((current) => ({ ...current, [region.code]: value }))}
                  error={errors[`name:${region.code}`]}
                  maxLength={100}
                  data-testid={`region-name-${region.code}`}
                />
              </li>
            ))}
          </ul>
        )}
        <fieldset className="crm-region-new">
          <legend className="section-title">{t('crm.regions.add')}</legend>
          <div className="crm-form-row">
            <TextField
              label={t('crm.regions.code')}
              name="code"
              value={code}
              onChange={setCode}
              error={errors['new:code']}
              hint={t('crm.regions.codeRule')}
              maxLength={20}
              data-testid="region-new-code"
            />
            <TextField
              label={t('crm.regions.newName')}
              name="name"
              value={name}
              onChange={setName}
              error={errors['new:name']}
              maxLength={100}
              data-testid="region-new-name"
            />
          </div>
        </fieldset>
      </form>
    </Drawer>
  );
}
