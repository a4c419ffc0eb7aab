// Pieces the HR pages share: select fields, the department and employee pickers' data, badges.
import { useEffect, useState } from 'react';
import { api, type Page } from '../../app/api';
import { Field } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import {
  type AbsenceStatus,
  type AbsenceType,
  type EmployeeStatus,
  getOrgChart,
  HR,
  type OrgNode,
} from './api';

export type Option = { value: string; label: string };

type SelectFieldProps = {
  label: string;
  name: string;
  value: string;
  onChange(value: string): void;
  options: Option[];
  /** The text of the empty choice; without it there is none. */
  empty?: string;
  error?: string | undefined;
  hint?: string;
  disabled?: boolean;
};

export function SelectField({
  label,
  name,
  value,
  onChange,
  options,
  empty,
  error,
  hint,
  disabled,
}: SelectFieldProps) {
  return (
    <Field label={label} name={name} error={error} hint={hint ?? ''}>
      {(control) => (
        <select
          className="input"
          name={name}
          value={value}
          disabled={disabled}
          onChange={(event) => onChange(event.target.value)}
          {...control}
        >
          {empty !== undefined ? <option value="">{empty}</option> : null}
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** Departments in tree order, each label indented by its depth, for pickers. */
export function treeOptions(nodes: OrgNode[], exceptSubtreeOf?: string): Option[] {
  const children = new Map<string | null, OrgNode[]>();
  for (const node of nodes) {
    const list = children.get(node.parentId) ?? [];
    list.push(node);
    children.set(node.parentId, list);
  }
  const options: Option[] = [];
  const walk = (parentId: string | null, depth: number) => {
    for (const node of children.get(parentId) ?? []) {
      if (node.id === exceptSubtreeOf) continue;
      options.push({ value: node.id, label: `${'\u2003'.repeat(depth)}${node.name}` });
      walk(node.id, depth + 1);
    }
  };
  walk(null, 0);
  return options;
}

/** The org chart's nodes; `reload` reads them again. */
export function useOrgNodes(): { nodes: OrgNode[] | null; error: unknown; reload(): void } {
  const [nodes, setNodes] = useState<OrgNode[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [token, setToken] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: token asks for a new read.
  useEffect(() => {
    const controller = new AbortController();
    getOrgChart(controller.signal)
      .then((chart) => {
        setNodes(chart.items);
        setError(null);
      })
      .catch((reason: unknown) => {
        if (!controller.signal.aborted) setError(reason);
      });
    return () => controller.abort();
  }, [token]);
  return { nodes, error, reload: () => setToken((n) => n + 1) };
}

export type EmployeeOption = { id: string; fullName: string; position: string; status: EmployeeStatus };

/** Employees who are not dismissed, for manager and head pickers. */
export function useEmployeeOptions(): Option[] {
  const [options, setOptions] = useState<Option[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    api<Page<EmployeeOption>>('GET', `${HR}/employees?limit=500&sort=lastName`, undefined, {
      signal: controller.signal,
    })
      .then((page) =>
        setOptions(
          page.items
            .filter((e) => e.status !== 'dismissed')
            .map((e) => ({ value: e.id, label: `${e.fullName} · ${e.position}` })),
        ),
      )
      .catch(() => {
        // The picker stays empty; the form still saves without it.
      });
    return () => controller.abort();
  }, []);
  return options;
}

export function StatusBadge({ status }: { status: EmployeeStatus }) {
  const { t } = useI18n();
  const tone =
    status === 'active' ? 'badge-success' : status === 'dismissed' ? 'badge-muted' : 'hr-badge-warn';
  return <span className={`badge ${tone}`}>{t(`hr.status.${status}`)}</span>;
}

export function AbsenceBadge({ type, status }: { type: AbsenceType; status: AbsenceStatus }) {
  const { t } = useI18n();
  return (
    <span className="hr-absence-badges">
      <span className={`badge hr-type-${type}`}>{t(`hr.absenceType.${type}`)}</span>
      <span className={`badge hr-status-${status}`}>{t(`hr.absenceStatus.${status}`)}</span>
    </span>
  );
}
