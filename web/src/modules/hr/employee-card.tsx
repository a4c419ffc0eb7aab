import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { api } from '../../app/api';
import { DateInput } from '../../app/date-input';
import { errorMessage } from '../../app/errors';
import { CardLoadError, Facts } from '../../app/record-card';
import { Link } from '../../app/router';
import { useSession } from '../../app/session';
import { Button, FormError, PageHeader, PageLoading, useNotify } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import { StartProcess } from '../bpm/start-process';
import { AbsenceForm } from './absence-form';
import {
  type Absence,
  type Employee,
  type HistoryRecord,
  HR,
  listAbsences,
  type VacationBalance,
} from './api';
import { ChangeForm, type ChangeKind } from './change-forms';
import { EmployeeForm } from './employee-form';
import { AbsenceBadge, StatusBadge } from './form-parts';

type Open = 'edit' | 'absence' | ChangeKind | null;

/** The employee card: work data, personal data when allowed, history "as of" a date, absences. */
export function EmployeeCard({ id }: { id: string }) {
  const i18n = useI18n();
  const { t, formatDate, formatMoney } = i18n;
  const { can, user } = useSession();
  const notify = useNotify();
  const [employee, setEmployee] = useState<Employee | null>(null);
  const [history, setHistory] = useState<HistoryRecord[]>([]);
  const [absences, setAbsences] = useState<Absence[]>([]);
  const [balance, setBalance] = useState<VacationBalance | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [asOf, setAsOf] = useState('');
  const [asOfState, setAsOfState] = useState<Employee | null>(null);
  const [asOfError, setAsOfError] = useState<string | null>(null);
  const [open, setOpen] = useState<Open>(null);
  const [token, setToken] = useState(0);
  const reload = () => setToken((n) => n + 1);
  const year = new Date().getFullYear();

  // biome-ignore lint/correctness/useExhaustiveDependencies: token asks for a new read.
  useEffect(() => {
    const controller = new AbortController();
    const signal = controller.signal;
    Promise.all([
      api<Employee>('GET', `${HR}/employees/${encodeURIComponent(id)}`, undefined, { signal }),
      api<{ items: HistoryRecord[] }>('GET', `${HR}/employees/${encodeURIComponent(id)}/history`, undefined, {
        signal,
      }),
      listAbsences({ employeeId: id, limit: 100, sort: '-from' }, signal),
      api<VacationBalance>('GET', `${HR}/employees/${encodeURIComponent(id)}/vacation-balance`, undefined, {
        signal,
        query: { year },
      }),
    ])
      .then(([e, h, a, b]) => {
        setEmployee(e);
        setHistory(h.items);
        setAbsences(a.items);
        setBalance(b);
        setError(null);
      })
      .catch((reason: unknown) => {
        if (!signal.aborted) setError(reason);
      });
    return () => controller.abort();
  }, [id, token, year]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: i18n only words the error.
  useEffect(() => {
    setAsOfState(null);
    setAsOfError(null);
    if (!asOf) return;
    const controller = new AbortController();
    api<Employee>('GET', `${HR}/employees/${encodeURIComponent(id)}`, undefined, {
      signal: controller.signal,
      query: { asOf },
    })
      .then(setAsOfState)
      .catch((reason: unknown) => {
        if (!controller.signal.aborted) setAsOfError(errorMessage(reason, i18n));
      });
    return () => controller.abort();
  }, [asOf, id, token]);

  const decide = useCallback(
    (absence: Absence, action: 'approve' | 'reject' | 'cancel') => {
      api<Absence>('POST', `${HR}/absences/${absence.id}/${action}`, {})
        .then((saved) => {
          notify('success', t('hr.absence.changed', { status: t(`hr.absenceStatus.${saved.status}`) }));
          setToken((n) => n + 1);
        })
        .catch((reason: unknown) => notify('error', errorMessage(reason, i18n)));
    },
    [i18n, notify, t],
  );

  if (error) return <CardLoadError error={error} backTo="/hr/employees" backLabel={t('hr.card.back')} />;
  if (!employee) return <PageLoading />;

  const writable = can('hr.employees.write') && employee.status !== 'dismissed';
  const own = user?.id !== undefined && employee.userId === user.id;
  const hrAbsences = can('hr.absences.write');
  const personal = 'salary' in employee;
  const shown = asOfState ?? employee;

  return (
    <>
      <p className="small">
        <Link to="/hr/employees">{`← ${t('hr.card.back')}`}</Link>
      </p>
      <PageHeader
        title={employee.fullName}
        description={`${employee.position} · ${employee.departmentName}`}
        actions={
          <>
            {employee.status === 'dismissed' ? null : (
              <StartProcess context="hr.employee" variables={{ employeeId: employee.id }} />
            )}
            {writable ? (
              <>
                <Button onClick={() => setOpen('edit')} data-testid="employee-edit">
                  {t('hr.card.edit')}
                </Button>
                <Button onClick={() => setOpen('transfer')} data-testid="employee-transfer">
                  {t('hr.card.transfer')}
                </Button>
                {can('hr.personal.write') ? (
                  <Button onClick={() => setOpen('salary')} data-testid="employee-salary">
                    {t('hr.card.salary')}
                  </Button>
                ) : null}
                <Button variant="danger" onClick={() => setOpen('dismiss')} data-testid="employee-dismiss">
                  {t('hr.card.dismiss')}
                </Button>
              </>
            ) : null}
          </>
        }
      />
      <div className="grid-2">
        <section className="panel" data-testid="employee-data">
          <h2 className="panel-title">
            {t('hr.card.data')}
            <span className="hr-card-header-status">
              <StatusBadge status={employee.status} />
            </span>
          </h2>
          <Facts
            rows={[
              [t('hr.fields.department'), employee.departmentName],
              [t('hr.fields.position'), employee.position],
              [
                t('hr.fields.manager'),
                employee.managerId ? (
                  <Link key="manager" to={`/hr/employees/${employee.managerId}`}>
                    {employee.managerName}
                  </Link>
                ) : null,
              ],
              [t('hr.fields.hireDate'), formatDate(employee.hireDate)],
              ...(employee.dismissalDate
                ? ([
                    [
                      t('hr.fields.status'),
                      t('hr.card.dismissedOn', { date: formatDate(employee.dismissalDate) }),
                    ],
                  ] as [string, ReactNode][])
                : []),
              [t('hr.fields.workPhone'), employee.workPhone],
              [t('hr.fields.workEmail'), employee.workEmail],
            ]}
          />
        </section>
        {personal ? (
          <section className="panel" data-testid="employee-personal">
            <h2 className="panel-title">{t('hr.employee.personal')}</h2>
            <p className="panel-text">{t('hr.employee.personalHint')}</p>
            <Facts
              rows={[
                [t('hr.fields.birthDate'), formatDate(employee.birthDate)],
                [t('hr.fields.pinfl'), employee.pinfl],
                [t('hr.fields.passport'), employee.passport],
                [t('hr.fields.address'), employee.address],
                [t('hr.fields.salary'), employee.salary ? formatMoney(employee.salary) : null],
              ]}
            />
          </section>
        ) : null}
      </div>
      <div className="grid-2 hr-panel-stack">
        <section className="panel" data-testid="employee-history">
          <h2 className="panel-title">{t('hr.card.history')}</h2>
          <div className="hr-as-of">
            <label className="field">
              <span className="field-label">{t('hr.card.asOf')}</span>
              <DateInput filter value={asOf} onChange={setAsOf} data-testid="as-of-date" />
            </label>
            {asOf ? <Button onClick={() => setAsOf('')}>{t('hr.card.current')}</Button> : null}
          </div>
          {asOf ? (
            <>
              <FormError message={asOfError} />
              {asOfState ? (
                <div data-testid="as-of-state">
                  <p className="muted small">{t('hr.card.asOfShown', { date: formatDate(asOf) })}</p>
                  <Facts
                    rows={[
                      [t('hr.fields.department'), shown.departmentName],
                      [t('hr.fields.position'), shown.position],
                      [t('hr.fields.status'), <StatusBadge key="s" status={shown.status} />],
                      ...(personal
                        ? ([[t('hr.fields.salary'), shown.salary ? formatMoney(shown.salary) : null]] as [
                            string,
                            ReactNode,
                          ][])
                        : []),
                    ]}
                  />
                </div>
              ) : null}
            </>
          ) : (
            <p className="muted small">{t('hr.card.asOfHint')}</p>
          )}
          {history.length === 0 ? (
            <p className="muted">{t('hr.card.noHistory')}</p>
          ) : (
            <ol className="hr-history">
              {history.map((record) => (
                <li key={record.id}>
                  <span className="muted">{formatDate(record.date)}</span>
                  <span>
                    <span className="hr-history-type">{t(`hr.history.${record.type}`)}</span>
                    {record.type === 'salary_change'
                      ? ` · ${formatMoney(record.salary ?? null)}`
                      : ` · ${record.position} · ${record.departmentName}`}
                    {record.note ? <span className="muted">{` · ${record.note}`}</span> : null}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </section>
        <section className="panel" data-testid="employee-absences">
          <h2 className="panel-title">{t('hr.card.absences')}</h2>
          {balance ? (
            <div className="hr-balance" data-testid="vacation-balance">
              <span>{t('hr.card.balance', { year: balance.year })}</span>
              <strong>
                {t('hr.card.balanceText', { remaining: balance.remaining, allowance: balance.allowance })}
              </strong>
              <span className="muted small">
                {t('hr.card.balanceDetail', { approved: balance.approved, requested: balance.requested })}
              </span>
            </div>
          ) : null}
          {(own || hrAbsences) && employee.status !== 'dismissed' ? (
            <p>
              <Button icon="plus" onClick={() => setOpen('absence')} data-testid="absence-create">
                {t('hr.card.addAbsence')}
              </Button>
            </p>
          ) : null}
          {absences.length === 0 ? (
            <p className="muted">{t('hr.card.noAbsences')}</p>
          ) : (
            <ul className="hr-absences">
              {absences.map((absence) => (
                <li key={absence.id}>
                  <AbsenceBadge type={absence.type} status={absence.status} />
                  <span className="hr-absence-dates">
                    {`${formatDate(absence.from)} – ${formatDate(absence.to)} · ${absence.days} ${t('hr.fields.days').toLowerCase()}`}
                  </span>
                  <span className="hr-absence-actions">
                    {absence.status === 'requested' && hrAbsences ? (
                      <>
                        <Button onClick={() => decide(absence, 'approve')}>{t('hr.absence.approve')}</Button>
                        <Button onClick={() => decide(absence, 'reject')}>{t('hr.absence.reject')}</Button>
                      </>
                    ) : null}
                    {(absence.status === 'requested' || absence.status === 'approved') &&
                    (own || hrAbsences) ? (
                      <Button variant="ghost" onClick={() => decide(absence, 'cancel')}>
                        {t('hr.absence.cancel')}
                      </Button>
                    ) : null}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      {open === 'edit' ? (
        <EmployeeForm
          employee={employee}
          onClose={() => setOpen(null)}
          onSaved={(saved) => {
            notify('success', t('hr.employee.saved', { name: saved.fullName }));
            setOpen(null);
            reload();
          }}
        />
      ) : open === 'absence' ? (
        <AbsenceForm
          employeeId={employee.id}
          onClose={() => setOpen(null)}
          onSaved={() => {
            notify('success', t('hr.absence.done'));
            setOpen(null);
            reload();
          }}
        />
      ) : open ? (
        <ChangeForm
          kind={open}
          employee={employee}
          onClose={() => setOpen(null)}
          onSaved={(saved) => {
            const done = {
              transfer: 'hr.transfer.done',
              salary: 'hr.salary.done',
              dismiss: 'hr.dismiss.done',
            } as const;
            notify('success', t(done[open], { name: saved.fullName }));
            setOpen(null);
            reload();
          }}
        />
      ) : null}
    </>
  );
}
