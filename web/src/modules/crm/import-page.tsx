import { type ChangeEvent, useState } from 'react';
import { api } from '../../app/api';
import { errorMessage } from '../../app/errors';
import { Link } from '../../app/router';
import { Button, FormError, PageHeader } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import { CRM, IMPORT_MAX_BYTES, type ImportPreview, type ImportValidation, uploadImport } from './api';
import { guessMapping, IMPORT_FIELDS, mappingProblem } from './import-mapping';
import './crm.css';

type Step = 'upload' | 'map' | 'done';
type Busy = 'reading' | 'validating' | 'committing' | null;
const ERRORS_SHOWN = 200;

/** Import of clients from CSV or XLSX: preview, column mapping, validation with per-row errors, commit. */
export default function ImportPage() {
  const i18n = useI18n();
  const { t, formatNumber } = i18n;
  const [step, setStep] = useState<Step>('upload');
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<string | null>(null);
  const [fileName, setFileName] = useState('');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mapping, setMapping] = useState<Record<string, string | null>>({});
  const [validation, setValidation] = useState<ImportValidation | null>(null);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [result, setResult] = useState<{ created: number; skipped: number } | null>(null);

  const restart = () => {
    setStep('upload');
    setPreview(null);
    setValidation(null);
    setResult(null);
    setError(null);
    setSkipInvalid(false);
    setFileName('');
  };

  const upload = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setError(null);
    if (!/\.(csv|xlsx)$/i.test(file.name)) {
      setError(t('crm.import.wrongType'));
      return;
    }
    if (file.size > IMPORT_MAX_BYTES) {
      setError(t('crm.import.tooLarge'));
      return;
    }
    setFileName(file.name);
    setBusy('reading');
    try {
      const answer = await uploadImport(file);
      setPreview(answer);
      setMapping(guessMapping(answer.columns, answer.suggestedMapping));
      setValidation(null);
      setStep('map');
    } catch (reason) {
      setError(errorMessage(reason, i18n));
    } finally {
      setBusy(null);
    }
  };

  const validate = async () => {
    if (!preview) return;
    setError(null);
    if (mappingProblem(mapping)) {
      setError(t('crm.import.nameMissing'));
      return;
    }
    setBusy('validating');
    try {
      setValidation(
        await api<ImportValidation>(
          'POST',
          `${CRM}/clients/import/${encodeURIComponent(preview.importId)}/validate`,
          {
            mapping,
          },
        ),
      );
    } catch (reason) {
      setError(errorMessage(reason, i18n));
    } finally {
      setBusy(null);
    }
  };

  const commit = async () => {
    if (!preview) return;
    setError(null);
    setBusy('committing');
    try {
      setResult(
        await api<{ created: number; skipped: number }>(
          'POST',
          `${CRM}/clients/import/${encodeURIComponent(preview.importId)}/commit`,
          { mapping, skipInvalid },
        ),
      );
      setStep('done');
    } catch (reason) {
      setError(errorMessage(reason, i18n));
    } finally {
      setBusy(null);
    }
  };

  const errors = validation?.errors ?? [];
  const blocked = !validation || (errors.length > 0 && !skipInvalid) || validation.valid === 0;
  const steps: [Step | 'validate', string][] = [
    ['upload', t('crm.import.stepUpload')],
    ['map', t('crm.import.stepMap')],
    ['validate', t('crm.import.stepValidate')],
    ['done', t('crm.import.stepDone')],
  ];
  const current = step === 'map' && validation ? 'validate' : step;

  return (
    <>
      <PageHeader title={t('crm.import.title')} description={t('crm.import.lead')} />
      <ol className="crm-steps" aria-label={t('crm.import.steps')}>
        {steps.map(([id, label], index) => (
          <li
            key={id}
            className={id === current ? 'crm-step-current' : undefined}
            aria-current={id === current ? 'step' : undefined}
          >
            <span className="crm-step-number">{index + 1}</span>
            {label}
          </li>
        ))}
      </ol>
      <FormError message={error} />
      {busy ? (
        <div className="crm-progress" role="status" data-testid="import-progress">
          <progress />
          <span>{t(`crm.import.busy.${busy}`)}</span>
        </div>
      ) : null}

      {step === 'upload' ? (
        <section className="panel" data-testid="import-upload">
          <h2 className="panel-title">{t('crm.import.uploadTitle')}</h2>
          <p className="panel-text">{t('crm.import.uploadText')}</p>
          <label className="button button-primary crm-file">
            <input
              type="file"
              accept=".csv,.xlsx,text/csv"
              onChange={upload}
              disabled={busy !== null}
              data-testid="import-file"
            />
            {t('crm.import.choose')}
          </label>
        </section>
      ) : null}

      {step === 'map' && preview ? (
        <>
          <section className="panel crm-section" data-testid="import-preview">
            <h2 className="panel-title">{t('crm.import.previewTitle', { file: fileName })}</h2>
            <p className="panel-text">{t('crm.import.mapText')}</p>
            <div className="table-scroll crm-preview-scroll">
              <table className="crm-table">
                <thead>
                  <tr>
                    {preview.columns.map((column, index) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: two columns may share a header.
                      <th key={`${column}-${index}`} scope="col">
                        <div className="crm-preview-column">{column}</div>
                        <label>
                          <span className="visually-hidden">{t('crm.import.fieldFor', { column })}</span>
                          <select
                            className="input"
                            value={mapping[column] ?? ''}
                            data-testid={`import-map-${index}`}
                            onChange={(event) => {
                              setMapping((m) => ({ ...m, [column]: event.target.value || null }));
                              setValidation(null);
                            }}
                          >
                            <option value="">{t('crm.import.skipColumn')}</option>
                            {IMPORT_FIELDS.map((field) => (
                              <option key={field} value={field}>
                                {t(`crm.importField.${field}`)}
                              </option>
                            ))}
                          </select>
                        </label>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {preview.sample.map((row, r) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: sample rows have no id and never move.
                    <tr key={r}>
                      {preview.columns.map((column, c) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: two columns may share a header.
                        <td key={`${column}-${c}`} className={mapping[column] ? undefined : 'muted'}>
                          {row[c] ?? ''}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="form-actions crm-actions">
              <Button onClick={restart}>{t('crm.import.another')}</Button>
              <Button
                variant="primary"
                onClick={validate}
                busy={busy === 'validating'}
                disabled={busy !== null}
                data-testid="import-validate"
              >
                {t('crm.import.validate')}
              </Button>
            </div>
          </section>
          {validation ? (
            <section className="panel crm-section" data-testid="import-validation">
              <h2 className="panel-title">{t('crm.import.validationTitle')}</h2>
              <p>
                {t('crm.import.validationSummary', {
                  rows: formatNumber(validation.rows),
                  valid: formatNumber(validation.valid),
                  bad: formatNumber(validation.rows - validation.valid),
                })}
              </p>
              {errors.length > 0 ? (
                <>
                  <div className="table-scroll crm-errors-scroll">
                    <table className="crm-table" data-testid="import-errors">
                      <thead>
                        <tr>
                          <th scope="col">{t('crm.import.row')}</th>
                          <th scope="col">{t('crm.import.field')}</th>
                          <th scope="col">{t('crm.import.problem')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {errors.slice(0, ERRORS_SHOWN).map((e, index) => (
                          // biome-ignore lint/suspicious/noArrayIndexKey: a row may have several errors on one field.
                          <tr key={`${e.row}-${e.field}-${index}`}>
                            <td>{formatNumber(e.row)}</td>
                            <td>{i18n.tOr(`crm.importField.${e.field}`, e.field)}</td>
                            <td>{e.message}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                  {errors.length > ERRORS_SHOWN ? (
                    <p className="muted small">
                      {t('crm.import.moreErrors', { count: formatNumber(errors.length - ERRORS_SHOWN) })}
                    </p>
                  ) : null}
                  <label className="check crm-skip">
                    <input
                      type="checkbox"
                      checked={skipInvalid}
                      onChange={(e) => setSkipInvalid(e.target.checked)}
                      data-testid="import-skip"
                    />
                    <span>
                      {t('crm.import.skipBad', { count: formatNumber(validation.rows - validation.valid) })}
                    </span>
                  </label>
                </>
              ) : (
                <p className="crm-ok">{t('crm.import.noErrors')}</p>
              )}
              <div className="form-actions crm-actions">
                {blocked && errors.length > 0 ? (
                  <span className="muted small">{t('crm.import.fixOrSkip')}</span>
                ) : null}
                <Button
                  variant="primary"
                  onClick={commit}
                  disabled={blocked || busy !== null}
                  busy={busy === 'committing'}
                  data-testid="import-commit"
                >
                  {t('crm.import.commit', { count: formatNumber(validation.valid) })}
                </Button>
              </div>
            </section>
          ) : null}
        </>
      ) : null}

      {step === 'done' && result ? (
        <section className="panel" data-testid="import-done">
          <h2 className="panel-title">{t('crm.import.doneTitle')}</h2>
          <p>
            {t('crm.import.doneText', {
              created: formatNumber(result.created),
              skipped: formatNumber(result.skipped),
            })}
          </p>
          <div className="form-actions crm-actions">
            <Button onClick={restart}>{t('crm.import.another')}</Button>
            <Link className="button button-primary" to="/crm/clients">
              {t('crm.import.toClients')}
            </Link>
          </div>
        </section>
      ) : null}
    </>
  );
}
