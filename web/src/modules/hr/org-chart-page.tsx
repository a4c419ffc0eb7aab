import { useMemo, useState } from 'react';
import { errorMessage } from '../../app/errors';
import { navigate } from '../../app/router';
import { useSession } from '../../app/session';
import { Button, EmptyState, FormError, PageHeader, PageLoading, useNotify } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import type { OrgNode } from './api';
import { DepartmentForm } from './department-form';
import { useOrgNodes } from './form-parts';
import './hr.css';

type Editing = { department: OrgNode | null; parentId: string | null } | null;

/** The org chart: departments as a tree you expand, with heads and headcounts. */
export default function OrgChartPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { can } = useSession();
  const notify = useNotify();
  const writable = can('hr.departments.write');
  const { nodes, error, reload } = useOrgNodes();
  const [open, setOpen] = useState<Set<string> | null>(null);
  const [editing, setEditing] = useState<Editing>(null);

  const children = useMemo(() => {
    const map = new Map<string | null, OrgNode[]>();
    for (const node of nodes ?? []) {
      const list = map.get(node.parentId) ?? [];
      list.push(node);
      map.set(node.parentId, list);
    }
    return map;
  }, [nodes]);

  // At first the top level is open: its departments show.
  const expanded = open ?? new Set((children.get(null) ?? []).map((n) => n.id));
  const toggle = (id: string) => {
    const next = new Set(expanded);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setOpen(next);
  };

  const renderNodes = (parentId: string | null) => (
    <ul className={parentId === null ? 'hr-tree' : undefined}>
      {(children.get(parentId) ?? []).map((node) => {
        const kids = children.get(node.id) ?? [];
        const isOpen = expanded.has(node.id);
        return (
          <li key={node.id} data-testid={`org-node-${node.code}`}>
            <div className="hr-node">
              <button
                type="button"
                className="hr-node-toggle"
                onClick={() => toggle(node.id)}
                disabled={kids.length === 0}
                aria-expanded={kids.length > 0 ? isOpen : undefined}
                aria-label={t(isOpen ? 'hr.org.collapse' : 'hr.org.expand', { name: node.name })}
                data-testid={`org-toggle-${node.code}`}
              >
                {isOpen ? '−' : '+'}
              </button>
              <div className="hr-node-main">
                <div>
                  <span className="hr-node-name">{node.name}</span>
                  <span className="hr-node-code">{node.code}</span>
                </div>
                <div className="hr-node-head">
                  {node.head
                    ? `${t('hr.fields.head')}: ${node.head.name} · ${node.head.position}`
                    : t('hr.org.noHead')}
                </div>
              </div>
              <div className="hr-node-counts">
                <span className="badge badge-success" data-testid="org-headcount">
                  {t('hr.org.headcount', { count: i18n.formatNumber(node.headcount) })}
                </span>
                {kids.length > 0 ? (
                  <span className="badge badge-muted">
                    {t('hr.org.totalHeadcount', { count: i18n.formatNumber(node.totalHeadcount) })}
                  </span>
                ) : null}
              </div>
              <div className="hr-node-actions">
                <Button variant="ghost" onClick={() => navigate(`/hr/employees?department=${node.id}`)}>
                  {t('hr.org.employees')}
                </Button>
                {writable ? (
                  <>
                    <Button
                      variant="ghost"
                      onClick={() => setEditing({ department: node, parentId: node.parentId })}
                    >
                      {t('hr.org.edit')}
                    </Button>
                    <Button
                      variant="ghost"
                      icon="plus"
                      onClick={() => setEditing({ department: null, parentId: node.id })}
                    >
                      {t('hr.org.addSub')}
                    </Button>
                  </>
                ) : null}
              </div>
            </div>
            {kids.length > 0 && isOpen ? renderNodes(node.id) : null}
          </li>
        );
      })}
    </ul>
  );

  return (
    <>
      <PageHeader
        title={t('hr.org.title')}
        description={t('hr.org.lead')}
        actions={
          <>
            {nodes && nodes.length > 0 ? (
              <>
                <Button onClick={() => setOpen(new Set(nodes.map((n) => n.id)))} data-testid="org-expand-all">
                  {t('hr.org.expandAll')}
                </Button>
                <Button onClick={() => setOpen(new Set())}>{t('hr.org.collapseAll')}</Button>
              </>
            ) : null}
            {writable ? (
              <Button
                variant="primary"
                icon="plus"
                onClick={() => setEditing({ department: null, parentId: null })}
                data-testid="department-create"
              >
                {t('hr.org.newDepartment')}
              </Button>
            ) : null}
          </>
        }
      />
      {error ? <FormError message={errorMessage(error, i18n)} /> : null}
      {nodes === null && !error ? <PageLoading /> : null}
      {nodes && nodes.length === 0 ? (
        <EmptyState
          icon="users"
          title={t('hr.org.emptyTitle')}
          text={t('hr.org.emptyText')}
          action={
            writable ? (
              <Button
                variant="primary"
                icon="plus"
                onClick={() => setEditing({ department: null, parentId: null })}
              >
                {t('hr.org.newDepartment')}
              </Button>
            ) : undefined
          }
        />
      ) : null}
      {nodes && nodes.length > 0 ? <div data-testid="org-chart">{renderNodes(null)}</div> : null}
      {editing && nodes ? (
        <DepartmentForm
          key={editing.department?.id ?? `new-${editing.parentId ?? ''}`}
          department={editing.department}
          parentId={editing.parentId}
          nodes={nodes}
          onClose={() => setEditing(null)}
          onSaved={(saved, created) => {
            notify(
              'success',
              t(created ? 'hr.department.created' : 'hr.department.saved', { name: saved.name }),
            );
            setEditing(null);
            if (saved.parentId) setOpen(new Set([...expanded, saved.parentId]));
            reload();
          }}
        />
      ) : null}
    </>
  );
}
