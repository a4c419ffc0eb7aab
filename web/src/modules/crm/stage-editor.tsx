import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../../app/api';
import { errorMessage } from '../../app/errors';
import { Button, Drawer, FormError } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import { CRM, type Pipeline, type StageKind } from './api';
import { stageName } from './parts';
import { stageCode } from './stage-code';

const KINDS: StageKind[] = ['open', 'won', 'lost'];

type Row = {
  key: number;
  code: string;
  name: string;
  probability: string;
  kind: StageKind;
  responsibleId: string | null;
  /** The name as stored and as first shown (a default stage shows in the user's language). */
  stored: string;
  shown: string;
};
type RowErrors = Partial<Record<'name' | 'probability' | 'kind' | 'code', string>>;

type Props = { pipeline: Pipeline; onClose(): void; onSaved(pipeline: Pipeline): void };

/**
 * The sales head's editor of a pipeline's stages: add, rename, reorder, set the probability
 * and the kind (open, won, lost). The server keeps the rules (an open first stage, a won and a
 * lost one, no removing a stage deals are in); its refusals show on the row they concern.
 */
export function StageEditor({ pipeline, onClose, onSaved }: Props) {
  const i18n = useI18n();
  const { t, tOr } = i18n;
  const [rows, setRows] = useState<Row[]>(() =>
    pipeline.stages.map((stage, index) => {
      const shown = stageName(tOr, stage, stage.code);
      return {
        key: index + 1,
        code: stage.code,
        name: shown,
        probability: String(stage.probability),
        kind: stage.kind,
        responsibleId: stage.responsibleId,
        stored: stage.name,
        shown,
      };
    }),
  );
  const [nextKey, setNextKey] = useState(pipeline.stages.length + 1);
  const [rowErrors, setRowErrors] = useState<Record<number, RowErrors>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const change = (key: number, patch: Partial<Row>) => {
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...patch } : row)));
    // A field being corrected no longer shows the old complaint.
    setRowErrors((current) => {
      const left = { ...current[key] };
      for (const field of Object.keys(patch)) delete left[field as keyof RowErrors];
      return { ...current, [key]: left };
    });
  };
  const move = (index: number, by: -1 | 1) =>
    setRows((current) => {
      const next = [...current];
      const [row] = next.splice(index, 1);
      if (row) next.splice(index + by, 0, row);
      return next;
    });
  const add = () => {
    // A new stage goes before the closing ones (won, lost), where open stages belong.
    const at = rows.findIndex((row) => row.kind !== 'open');
    const row: Row = {
      key: nextKey,
      code: '',
      name: '',
      probability: '50',
      kind: 'open',
      responsibleId: null,
      stored: '',
      shown: '',
    };
    setRows((current) => [
      ...current.slice(0, at < 0 ? current.length : at),
      row,
      ...current.slice(at < 0 ? current.length : at),
    ]);
    setNextKey((n) => n + 1);
  };

  /** The rows as the API takes them; new rows get a code from their name. */
  const toStages = () => {
    const taken = new Set(rows.map((row) => row.code).filter(Boolean));
    return rows.map((row) => {
      let code = row.code;
      if (!code) {
        code = stageCode(row.name, taken);
        taken.add(code);
      }
      return {
        code,
        // An untouched default name stays stored as it was, so it keeps following the language.
        name: row.code && row.name.trim() === row.shown ? row.stored : row.name.trim(),
        probability: Number(row.probability),
        kind: row.kind,
        responsibleId: row.responsibleId,
      };
    });
  };

  const checkRows = (): boolean => {
    const found: Record<number, RowErrors> = {};
    for (const row of rows) {
      const errors: RowErrors = {};
      if (!row.name.trim()) errors.name = t('validation.required');
      const probability = Number(row.probability);
      if (
        row.probability.trim() === '' ||
        !Number.isInteger(probability) ||
        probability < 0 ||
        probability > 100
      )
        errors.probability = t('crm.stages.probabilityRange');
      if (Object.keys(errors).length > 0) found[row.key] = errors;
    }
    setRowErrors(found);
    return Object.keys(found).length === 0;
  };

  /** Issues come back as `stages.<index>.<field>`: put each next to its row's field. */
  const showError = (error: unknown) => {
    const found: Record<number, RowErrors> = {};
    let message: string | null = null;
    if (error instanceof ApiError && error.issues.length > 0) {
      for (const issue of error.issues) {
        const [, index, field] = issue.path.split('.');
        const row = index === undefined ? undefined : rows[Number(index)];
        if (row && (field === 'name' || field === 'probability' || field === 'kind' || field === 'code'))
          found[row.key] = { ...found[row.key], [field]: issue.message };
        else message ??= issue.message;
      }
    } else {
      message = errorMessage(error, i18n);
    }
    setRowErrors(found);
    setGeneral(message);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setGeneral(null);
    if (!checkRows()) return;
    setBusy(true);
    api<Pipeline>('PATCH', `${CRM}/pipelines/${encodeURIComponent(pipeline.id)}`, { stages: toStages() })
      .then(onSaved)
      .catch((error: unknown) => {
        setBusy(false);
        showError(error);
      });
  };

  const formId = 'crm-stage-editor';
  return (
    <Drawer
      title={t('crm.stages.title', { name: pipeline.name })}
      onClose={onClose}
      testId="stage-editor"
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form={formId} variant="primary" busy={busy} data-testid="stages-save">
            {t('crm.stages.save')}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate>
        <p className="muted small">{t('crm.stages.lead')}</p>
        <FormError message={general} />
        <ol className="crm-stage-rows">
          {rows.map((row, index) => {
            const errors = rowErrors[row.key] ?? {};
            return (
              <li key={row.key} className="crm-stage-row" data-testid={`stage-row-${index}`}>
                <div className="crm-stage-fields">
                  <label className={`field${errors.name ? ' field-invalid' : ''}`}>
                    <span className="field-label">{t('crm.stages.name')}</span>
                    <input
                      className="input"
                      value={row.name}
                      maxLength={100}
                      aria-invalid={Boolean(errors.name)}
                      onChange={(e) => change(row.key, { name: e.target.value })}
                      data-testid={`stage-name-${index}`}
                    />
                    {errors.name ? <span className="field-error">{errors.name}</span> : null}
                  </label>
                  <label
                    className={`field crm-stage-probability${errors.probability ? ' field-invalid' : ''}`}
                  >
                    <span className="field-label">{t('crm.stages.probability')}</span>
                    <input
                      className="input"
                      inputMode="numeric"
                      value={row.probability}
                      aria-invalid={Boolean(errors.probability)}
                      onChange={(e) => change(row.key, { probability: e.target.value })}
                      data-testid={`stage-probability-${index}`}
                    />
                    {errors.probability ? <span className="field-error">{errors.probability}</span> : null}
                  </label>
                  <label className={`field${errors.kind ? ' field-invalid' : ''}`}>
                    <span className="field-label">{t('crm.stages.kind')}</span>
                    <select
                      className="input"
                      value={row.kind}
                      onChange={(e) => change(row.key, { kind: e.target.value as StageKind })}
                      data-testid={`stage-kind-${index}`}
                    >
                      {KINDS.map((kind) => (
                        <option key={kind} value={kind}>
                          {t(`crm.stages.kind.${kind}`)}
                        </option>
                      ))}
                    </select>
                    {errors.kind ? <span className="field-error">{errors.kind}</span> : null}
                  </label>
                </div>
                <div className="crm-stage-actions">
                  <span className="muted small">{row.code || t('crm.stages.newCode')}</span>
                  <button
                    type="button"
                    className="icon-button"
                    disabled={index === 0}
                    onClick={() => move(index, -1)}
                    aria-label={t('crm.stages.up', { name: row.name })}
                    data-testid={`stage-up-${index}`}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="icon-button"
                    disabled={index === rows.length - 1}
                    onClick={() => move(index, 1)}
                    aria-label={t('crm.stages.down', { name: row.name })}
                    data-testid={`stage-down-${index}`}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="icon-button"
                    onClick={() => setRows((current) => current.filter((r) => r.key !== row.key))}
                    aria-label={t('crm.stages.remove', { name: row.name })}
                    data-testid={`stage-remove-${index}`}
                  >
                    ✕
                  </button>
                </div>
              </li>
            );
          })}
        </ol>
        <Button icon="plus" onClick={add} data-testid="stage-add">
          {t('crm.stages.add')}
        </Button>
      </form>
    </Drawer>
  );
}
