// Import of a CSV or XLSX file in four steps: choose the file, match its columns to fields (the
// server's guess first), check every row (each problem by row and field), import. A module
// gives its fields and three calls; the steps, progress and errors look the same everywhere.
import { type ChangeEvent, type ReactNode, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { errorMessage } from './errors';
import { Button, FormError } from './ui';
import './import-wizard.css';

/** The largest file a server import reads (server/core/table-file.ts MAX_FILE_BYTES). */
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;
const ERRORS_SHOWN = 200;

export type ImportPreview = {
  columns: string[];
  sample: string[][];
  rows: number;
  /** Column -> field, as the server (or the module) guessed it. */
  mapping: Record<string, string | null>;
};

export type ImportCheck = {
  rows: number;
  valid: number;
  errors: { row: number; field: string; message: string }[];
};

type Props<F extends string> = {
  fields: readonly F[];
  fieldLabel(field: F): string;
  /** Why the mapping cannot be checked yet (a required field has no column), or null. */
  mappingProblem(mapping: Record<string, string | null>): string | null;
  /** What the columns hold, said for this import ("Choose which client field…"). */
  mapText: string;
  /** Reads the file and answers its columns, first rows and guessed mapping. */
  read(file: File): Promise<ImportPreview>;
  check(mapping: Record<string, string | null>): Promise<ImportCheck>;
  /** Writes the valid rows; answers what the last step says, or null to stay (the page said why). */
  commit(mapping: Record<string, string | null>, skipInvalid: boolean): Promise<{ done: ReactNode } | null>;
  commitLabel(valid: number): string;
  committingLabel: string;
  /** Shown above the import button once the rows are checked (e.g. a warehouse to choose). */
  beforeCommit?: ReactNode;
  /** The way on after the import (a link to the list). */
  doneAction: ReactNode;
};

type Step = 'upload' | 'map' | 'done';
type Busy = 'reading' | 'validating' | 'committing' | null;

export function ImportWizard<F extends string>(props: Props<F>) {
  const { fields, fieldLabel } = props;
  const i18n = useI18n();
  const { t, formatNumber } = i18n;
  const [step, setStep] = useState<Step>('upload');
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<string | null>(null);
  const [fileName, setFileName] = useState('');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mapping, setMapping] = useState<Record<string, string | null>>({});
  const [validation, setValidation] = useState<ImportCheck | null>(null);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [result, setResult] = useState<ReactNode>(null);

  const restart = () => {
    setStep('upload');
    setPreview(null);
    setValidation(null);
    setResult(null);
    setError(null);
    setSkipInvalid(false);
    setFileName('');
  };

  /** Runs one step's call with its progress shown; a failure is said above the steps. */
  const run = async (kind: Exclude<Busy, null>, work: () => Promise<void>) => {
    setError(null);
    setBusy(kind);
    try {
      await work();
    } catch (reason) {
      setError(errorMessage(reason, i18n));
    } finally {
      setBusy(null);
    }
  };

  const upload = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setError(null);
    if (!/\.(csv|xlsx)$/i.test(file.name)) return setError(t('import.wrongType'));
    if (file.size > IMPORT_MAX_BYTES) return setError(t('import.tooLarge'));
    setFileName(file.name);
    void run('reading', async () => {
      const answer = await props.read(file);
      setPreview(answer);
      setMapping(answer.mapping);
      setValidation(null);
      setStep('map');
    });
  };

  const validate = () => {
    const problem = props.mappingProblem(mapping);
    if (problem) return setError(problem);
    void run('validating', async () => setValidation(await props.check(mapping)));
  };

  const commit = () =>
    run('committing', async () => {
      const outcome = await props.commit(mapping, skipInvalid);
      if (!outcome) return;
      setResult(outcome.done);
      setStep('done');
    });

  const errors = validation?.errors ?? [];
  const blocked = !validation || (errors.length > 0 && !skipInvalid) || validation.valid === 0;
  const steps: [Step | 'validate', string][] = [
    ['upload', t('import.stepUpload')],
    ['map', t('import.stepMap')],
    ['validate', t('import.stepValidate')],
    ['done', t('import.stepDone')],
  ];
  const current = step === 'map' && validation ? 'validate' : step;
  const isField = (value: string): value is F => (fields as readonly string[]).includes(value);

  return (
    <>
      <ol className="import-steps" aria-label={t('import.steps')}>
        {steps.map(([id, label], index) => (
          <li
            key={id}
            className={id === current ? 'import-step-current' : undefined}
            aria-current={id === current ? 'step' : undefined}
          >
            <span className="import-step-number">{index + 1}</span>
            {label}
          </li>
        ))}
      </ol>
      <FormError message={error} />
      {busy ? (
        <div className="import-progress" role="status" data-testid="import-progress">
          <progress />
          <span>{busy === 'committing' ? props.committingLabel : t(`import.busy.${busy}`)}</span>
        </div>
      ) : null}

      {step === 'upload' ? (
        <section className="panel" data-testid="import-upload">
          <h2 className="panel-title">{t('import.uploadTitle')}</h2>
          <p className="panel-text">{t('import.uploadText')}</p>
          <label className="button button-primary import-file">
            <input
              type="file"
              accept=".csv,.xlsx,text/csv"
              onChange={upload}
              disabled={busy !== null}
              data-testid="import-file"
            />
            {t('import.choose')}
          </label>
        </section>
      ) : null}

      {step === 'map' && preview ? (
        <>
          <section className="panel import-section" data-testid="import-preview">
            <h2 className="panel-title">{t('import.previewTitle', { file: fileName })}</h2>
            <p className="panel-text">{props.mapText}</p>
            <div className="table-scroll import-scroll">
              <table className="import-table">
                <thead>
                  <tr>
                    {preview.columns.map((column, index) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: two columns may share a header.
                      <th key={`${column}-${index}`} scope="col">
                        <div className="import-column">{column}</div>
                        <label>
                          <span className="visually-hidden">{t('import.fieldFor', { column })}</span>
                          <select
                            className="input"
                            value={mapping[column] ?? ''}
                            data-testid={`import-map-${index}`}
                            onChange={(event) => {
                              setMapping((m) => ({ ...m, [column]: event.target.value || null }));
                              setValidation(null);
                            }}
                          >
                            <option value="">{t('import.skipColumn')}</option>
                            {fields.map((field) => (
                              <option key={field} value={field}>
                                {fieldLabel(field)}
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
            <div className="form-actions import-actions">
              <Button onClick={restart}>{t('import.another')}</Button>
              <Button
                variant="primary"
                onClick={validate}
                busy={busy === 'validating'}
                disabled={busy !== null}
                data-testid="import-validate"
              >
                {t('import.validate')}
              </Button>
            </div>
          </section>
          {validation ? (
            <section className="panel import-section" data-testid="import-validation">
              <h2 className="panel-title">{t('import.validationTitle')}</h2>
              <p>
                {t('import.validationSummary', {
                  rows: formatNumber(validation.rows),
                  valid: formatNumber(validation.valid),
                  bad: formatNumber(validation.rows - validation.valid),
                })}
              </p>
              {errors.length > 0 ? (
                <>
                  <div className="table-scroll import-scroll">
                    <table className="import-table" data-testid="import-errors">
                      <thead>
                        <tr>
                          <th scope="col">{t('import.row')}</th>
                          <th scope="col">{t('import.field')}</th>
                          <th scope="col">{t('import.problem')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {errors.slice(0, ERRORS_SHOWN).map((e, index) => (
                          // biome-ignore lint/suspicious/noArrayIndexKey: a row may have several errors on one field.
                          <tr key={`${e.row}-${e.field}-${index}`}>
                            <td>{formatNumber(e.row)}</td>
                            <td>{isField(e.field) ? fieldLabel(e.field) : e.field}</td>
                            <td>{e.message}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                  {errors.length > ERRORS_SHOWN ? (
                    <p className="muted small">
                      {t('import.moreErrors', { count: formatNumber(errors.length - ERRORS_SHOWN) })}
                    </p>
                  ) : null}
                  <label className="check import-skip">
                    <input
                      type="checkbox"
                      checked={skipInvalid}
                      onChange={(e) => setSkipInvalid(e.target.checked)}
                      data-testid="import-skip"
                    />
                    <span>
                      {t('import.skipBad', { count: formatNumber(validation.rows - validation.valid) })}
                    </span>
                  </label>
                </>
              ) : (
                <p className="import-ok">{t('import.noErrors')}</p>
              )}
              {props.beforeCommit}
              <div className="form-actions import-actions">
                {blocked && errors.length > 0 ? (
                  <span className="muted small">{t('import.fixOrSkip')}</span>
                ) : null}
                <Button
                  variant="primary"
                  onClick={() => void commit()}
                  disabled={blocked || busy !== null}
                  busy={busy === 'committing'}
                  data-testid="import-commit"
                >
                  {props.commitLabel(validation.valid)}
                </Button>
              </div>
            </section>
          ) : null}
        </>
      ) : null}

      {step === 'done' ? (
        <section className="panel" data-testid="import-done">
          <h2 className="panel-title">{t('import.doneTitle')}</h2>
          {result}
          <div className="form-actions import-actions">
            <Button onClick={restart}>{t('import.another')}</Button>
            {props.doneAction}
          </div>
        </section>
      ) : null}
    </>
  );
}

/** A file's bytes in base64, for an import that takes the file as JSON. */
export function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read'));
    reader.readAsDataURL(file);
  });
}
