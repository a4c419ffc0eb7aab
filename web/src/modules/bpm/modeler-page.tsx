// The modeler (/bpm/processes/<id> and /new): bpmn-js with the Zeebe properties panel, the action
// picker for service tasks, the form of a user task, deploy (with forms) and download.
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../app/errors';
import { Link, navigate } from '../../app/router';
import { Button, FormError, PageHeader, Spinner, useNotify } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import { ActionPicker } from './action-picker';
import {
  type Definition,
  definitionXml,
  deploy,
  type FormSchema,
  listDefinitions,
  type Problem,
  problemsOf,
} from './api';
import { FormPanel } from './form-panel';
import { createModeler, type ModelerHandle, type SelectedElement } from './modeler-setup';
import { ProblemsList } from './problems-list';
import { PROCESSES_PATH } from './processes-page';
import { newProcessId, processTemplate } from './template';

type Props = {
  /** The deployed process to open; null for a new one (from the template or an uploaded file). */
  processId: string | null;
  uploaded: { xml: string; fileName: string } | null;
};

function download(xml: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([xml], { type: 'application/xml' }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // The browser reads the blob after this task: revoking it at once can cancel the download.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export default function ModelerPage({ processId, uploaded }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const notify = useNotify();
  const canvasRef = useRef<HTMLDivElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const modeler = useRef<ModelerHandle | null>(null);
  const [ready, setReady] = useState(false);
  const [versions, setVersions] = useState<Definition[]>([]);
  const [version, setVersion] = useState<number | null>(null);
  const [selected, setSelected] = useState<SelectedElement | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [deploying, setDeploying] = useState(false);
  const [title, setTitle] = useState('');
  // Forms edited here, by formId: deployed with the model.
  const [forms, setForms] = useState<Map<string, FormSchema>>(new Map());
  const i18nRef = useRef(i18n);
  i18nRef.current = i18n;

  const loadVersions = useCallback(() => {
    if (!processId) return;
    listDefinitions(true)
      .then((items) => setVersions(items.filter((item) => item.processId === processId)))
      .catch((reason: unknown) => setError(errorMessage(reason, i18nRef.current)));
  }, [processId]);

  useEffect(loadVersions, [loadVersions]);

  // The diagram: made once, then each model (a version, the template, an upload) opened in it.
  const [created, setCreated] = useState<ModelerHandle | null>(null);
  useEffect(() => {
    if (!canvasRef.current || !panelRef.current) return;
    let live = true;
    let made: ModelerHandle | null = null;
    createModeler(canvasRef.current, panelRef.current)
      .then((handle) => {
        if (!live) return handle.destroy();
        made = handle;
        modeler.current = handle;
        handle.onSelect(setSelected);
        handle.onChange(() => setTitle(handle.process().name));
        setCreated(handle);
      })
      .catch((reason: unknown) => live && setError(errorMessage(reason, i18nRef.current)));
    return () => {
      live = false;
      made?.destroy();
      modeler.current = null;
    };
  }, []);

  useEffect(() => {
    const handle = created;
    if (!handle) return;
    let live = true;
    setReady(false);
    setError(null);
    const { t: tr } = i18nRef.current;
    const source = processId
      ? definitionXml(processId, version ?? undefined)
      : Promise.resolve(
          uploaded?.xml ??
            processTemplate(newProcessId(), {
              process: tr('bpm.template.process'),
              start: tr('bpm.template.start'),
              task: tr('bpm.template.task'),
              end: tr('bpm.template.end'),
            }),
        );
    source
      .then((xml) => handle.open(xml))
      .then(() => {
        if (!live) return;
        setTitle(handle.process().name);
        setReady(true);
      })
      .catch((reason: unknown) => {
        if (live) setError(errorMessage(reason, i18nRef.current));
      });
    return () => {
      live = false;
    };
  }, [created, processId, version, uploaded]);

  const problemTitle = (problem: Problem) => `${problem.name || problem.elementId || ''}: ${problem.message}`;

  const handleDeploy = async () => {
    const handle = modeler.current;
    if (!handle) return;
    setDeploying(true);
    setError(null);
    try {
      const xml = await handle.save();
      const { id } = handle.process();
      const result = await deploy(xml, [...forms.values()], `${id}.bpmn`);
      setProblems([]);
      handle.showProblems([], problemTitle);
      const deployed = result.processes.find((p) => p.processId === id) ?? result.processes[0];
      const version = deployed?.version ?? 1;
      const unchanged = deployed?.created === false && forms.size === 0;
      notify(
        'success',
        unchanged ? t('bpm.modeler.unchanged', { version }) : t('bpm.modeler.deployed', { version }),
      );
      if (!processId || processId !== deployed?.processId) {
        navigate(`${PROCESSES_PATH}/${encodeURIComponent(deployed?.processId ?? id)}`, { replace: true });
      } else {
        setVersion(null);
        loadVersions();
      }
    } catch (reason) {
      const found = problemsOf(reason);
      setProblems(found);
      handle.showProblems(found, problemTitle);
      setError(found.length > 0 ? t('bpm.modeler.refused') : errorMessage(reason, i18n));
    } finally {
      setDeploying(false);
    }
  };

  const handleDownload = async () => {
    const handle = modeler.current;
    if (!handle) return;
    const xml = await handle.save();
    download(xml, `${handle.process().id || 'process'}.bpmn`);
  };

  const latest = versions[0]?.version;
  const isServiceTask = selected?.type === 'bpmn:ServiceTask';
  const isUserTask = selected?.type === 'bpmn:UserTask';

  return (
    <>
      <PageHeader
        title={title || processId || t('bpm.modeler.newTitle')}
        description={
          processId
            ? t('bpm.modeler.lead', { processId })
            : uploaded
              ? uploaded.fileName
              : t('bpm.modeler.newLead')
        }
        actions={
          <>
            <Link className="button button-ghost" to={PROCESSES_PATH}>
              {t('bpm.modeler.back')}
            </Link>
            {processId ? (
              <Link
                className="button button-ghost"
                to={`/bpm/instances?processId=${encodeURIComponent(processId)}`}
                data-testid="modeler-instances"
              >
                {t('bpm.modeler.instances')}
              </Link>
            ) : null}
            <Button
              icon="log"
              disabled={!ready}
              onClick={() => void handleDownload()}
              data-testid="modeler-download"
            >
              {t('bpm.modeler.download')}
            </Button>
            <Button
              variant="primary"
              icon="check"
              busy={deploying}
              disabled={!ready}
              onClick={() => void handleDeploy()}
              data-testid="modeler-deploy"
            >
              {t('bpm.modeler.deploy')}
            </Button>
          </>
        }
      />
      {versions.length > 1 ? (
        <div className="toolbar">
          <label className="toolbar-field">
            <span className="toolbar-label">{t('bpm.processes.version')}</span>
            <select
              className="input"
              value={version ?? latest ?? ''}
              onChange={(event) => setVersion(Number(event.target.value))}
              data-testid="modeler-version"
            >
              {versions.map((item) => (
                <option key={item.version} value={item.version}>
                  {item.version === latest
                    ? t('bpm.modeler.versionLatest', { version: item.version })
                    : t('bpm.modeler.versionN', { version: item.version })}
                </option>
              ))}
            </select>
          </label>
        </div>
      ) : null}
      <FormError message={error} />
      <ProblemsList problems={problems} onSelect={(id) => modeler.current?.select(id)} />
      <div className="bpm-modeler" data-testid="modeler" data-ready={ready || undefined}>
        <div className="bpm-canvas-wrap">
          <div className="bpm-canvas" ref={canvasRef} data-testid="modeler-canvas" />
          {ready ? null : (
            <div className="bpm-canvas-loading">
              <Spinner size="large" label={t('bpm.modeler.loading')} />
            </div>
          )}
        </div>
        <aside className="bpm-side">
          {selected && isServiceTask ? (
            <ActionPicker
              key={selected.id}
              value={selected.taskType}
              onChange={(type) => modeler.current?.setTaskType(selected.id, type)}
            />
          ) : null}
          {selected && isUserTask ? (
            <FormPanel
              key={selected.id}
              element={selected}
              forms={forms}
              onSave={(schema) => {
                const formId = schema.id ?? `Form_${selected.id}`;
                setForms((previous) => new Map(previous).set(formId, { ...schema, id: formId }));
                modeler.current?.setFormId(selected.id, formId);
              }}
            />
          ) : null}
          {selected ? null : <p className="muted small bpm-side-hint">{t('bpm.modeler.selectHint')}</p>}
          <div className="bpm-panel" ref={panelRef} data-testid="properties-panel" />
        </aside>
      </div>
    </>
  );
}
