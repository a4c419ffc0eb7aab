import { useEffect, useMemo, useState } from 'react';
import { errorMessage } from '../../app/errors';
import { Link } from '../../app/router';
import { useSession } from '../../app/session';
import { Button, EmptyState, FormError, PageHeader, Spinner, useNotify } from '../../app/ui';
import { INTL_LOCALE, useI18n } from '../../i18n/i18n';
import { AbsenceForm } from './absence-form';
import { ABSENCE_TYPES, type Absence, type Employee, listAbsences, listEmployees } from './api';
import { AbsenceBadge, treeOptions, useEmployeeOptions, useOrgNodes } from './form-parts';
import './hr.css';

const pad = (n: number) => String(n).padStart(2, '0');

function monthStart(date = new Date()): { year: number; month: number } {
  return { year: date.getFullYear(), month: date.getMonth() };
}

/** A department's absences month by month: one row per employee, one column per day. */
export default function AbsencesPage() {
  const i18n = useI18n();
  const { t, formatDate } = i18n;
  const { can } = useSession();
  const notify = useNotify();
  const { nodes } = useOrgNodes();
  const hr = can('hr.absences.write');
  const employeeOptions = useEmployeeOptions();
  const [department, setDepartment] = useState('');
  const [{ year, month }, setMonth] = useState(monthStart());
  const [data, setData] = useState<{ employees: Employee[]; absences: Absence[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [requesting, setRequesting] = useState(false);
  const [token, setToken] = useState(0);

  // The first top-level department is shown until another is chosen.
  useEffect(() => {
    if (!department && nodes && nodes.length > 0) {
      const first = treeOptions(nodes)[0];
      if (first) setDepartment(first.value);
    }
  }, [nodes, department]);

  const days = new Date(year, month + 1, 0).getDate();
  const from = `${year}-${pad(month + 1)}-01`;
  const to = `${year}-${pad(month + 1)}-${pad(days)}`;

  // biome-ignore lint/correctness/useExhaustiveDependencies: token asks for a new read.
  useEffect(() => {
    if (!department) return;
    const controller = new AbortController();
    setLoading(true);
    Promise.all([
      listEmployees(
        { departmentId: department, includeSubdepartments: true, limit: 500, sort: 'lastName' },
        controller.signal,
      ),
      listAbsences({ departmentId: department, from, to, limit: 500, sort: 'from' }, controller.signal),
    ])
      .then(([employees, absences]) => {
        setData({
          employees: employees.items.filter(
            (e) => e.status !== 'dismissed' || absences.items.some((a) => a.employeeId === e.id),
          ),
          absences: absences.items.filter((a) => a.status === 'requested' || a.status === 'approved'),
        });
        setError(null);
      })
      .catch((reason: unknown) => {
        if (!controller.signal.aborted) setError(reason);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [department, from, to, token]);

  const monthName = useMemo(
    () =>
      new Intl.DateTimeFormat(INTL_LOCALE[i18n.locale], { month: 'long', year: 'numeric' }).format(
        new Date(year, month, 1),
      ),
    [i18n.locale, year, month],
  );
  const dayNumbers = Array.from({ length: days }, (_, i) => i + 1);
  const weekend = (day: number) => {
    const weekday = new Date(year, month, day).getDay();
    return weekday === 0 || weekday === 6;
  };
  const absenceOn = (employeeId: string, day: number): Absence | undefined => {
    const date = `${year}-${pad(month + 1)}-${pad(day)}`;
    return data?.absences.find((a) => a.employeeId === employeeId && a.from <= date && a.to >= date);
  };
  const shift = (by: number) => setMonth(monthStart(new Date(year, month + by, 1)));

  return (
    <>
      <PageHeader
        title={t('hr.calendar.title')}
        description={t('hr.calendar.lead')}
        actions={
          <Button
            variant="primary"
            icon="plus"
            onClick={() => setRequesting(true)}
            data-testid="absence-request"
          >
            {t('hr.calendar.requestOwn')}
          </Button>
        }
      />
      <div className="hr-calendar-bar">
        <label className="toolbar-field">
          <span className="toolbar-label">{t('hr.calendar.department')}</span>
          <select
            className="input"
            value={department}
            onChange={(event) => setDepartment(event.target.value)}
            data-testid="calendar-department"
          >
            {treeOptions(nodes ?? []).map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <div className="hr-month">
          <Button variant="ghost" onClick={() => shift(-1)} aria-label={t('hr.calendar.previous')}>
            {'‹'}
          </Button>
          <span className="hr-month-name" data-testid="calendar-month">
            {monthName}
          </span>
          <Button variant="ghost" onClick={() => shift(1)} aria-label={t('hr.calendar.next')}>
            {'›'}
          </Button>
          <Button onClick={() => setMonth(monthStart())}>{t('hr.calendar.thisMonth')}</Button>
        </div>
        {loading ? <Spinner /> : null}
      </div>
      {error ? <FormError message={errorMessage(error, i18n)} /> : null}
      {nodes && nodes.length === 0 ? (
        <EmptyState icon="users" title={t('hr.calendar.chooseTitle')} text={t('hr.org.emptyText')} />
      ) : !department ? (
        <EmptyState icon="users" title={t('hr.calendar.chooseTitle')} text={t('hr.calendar.chooseText')} />
      ) : data && data.employees.length === 0 ? (
        <EmptyState
          icon="users"
          title={t('hr.calendar.noEmployeesTitle')}
          text={t('hr.calendar.noEmployeesText')}
        />
      ) : data ? (
        <>
          <div className="hr-calendar-scroll" data-testid="absence-calendar">
            <table className="hr-calendar">
              <thead>
                <tr>
                  <th className="hr-calendar-name" scope="col">
                    {t('hr.fields.employee')}
                  </th>
                  {dayNumbers.map((day) => (
                    <th key={day} scope="col" className={weekend(day) ? 'hr-weekend' : undefined}>
                      {day}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.employees.map((employee) => (
                  <tr key={employee.id}>
                    <th
                      className="hr-calendar-name"
                      scope="row"
                      title={`${employee.fullName} · ${employee.position}`}
                    >
                      <Link to={`/hr/employees/${employee.id}`}>{employee.fullName}</Link>
                    </th>
                    {dayNumbers.map((day) => {
                      const absence = absenceOn(employee.id, day);
                      const className = absence
                        ? `hr-day-${absence.type}${absence.status === 'requested' ? ' hr-day-requested' : ''}`
                        : weekend(day)
                          ? 'hr-weekend'
                          : undefined;
                      return (
                        <td
                          key={day}
                          className={className}
                          title={
                            absence
                              ? `${t(`hr.absenceType.${absence.type}`)} · ${t(`hr.absenceStatus.${absence.status}`)}`
                              : undefined
                          }
                        />
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="hr-legend">
            <span className="visually-hidden">{t('hr.calendar.legend')}</span>
            {ABSENCE_TYPES.map((type) => (
              <span key={type}>
                <i className={`hr-day-${type}`} />
                {t(`hr.absenceType.${type}`)}
              </span>
            ))}
            <span>
              <i className="hr-day-vacation hr-day-requested" />
              {t('hr.absenceStatus.requested')}
            </span>
          </div>
          {data.absences.length > 0 ? (
            <ul className="hr-absences panel">
              {data.absences.map((absence) => (
                <li key={absence.id}>
                  <AbsenceBadge type={absence.type} status={absence.status} />
                  <span className="hr-absence-dates">
                    <Link to={`/hr/employees/${absence.employeeId}`}>{absence.employeeName}</Link>
                    {` · ${formatDate(absence.from)} – ${formatDate(absence.to)}`}
                  </span>
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
      {requesting ? (
        <AbsenceForm
          employeeId={null}
          employees={hr ? employeeOptions : undefined}
          onClose={() => setRequesting(false)}
          onSaved={() => {
            notify('success', t('hr.absence.done'));
            setRequesting(false);
            setToken((n) => n + 1);
          }}
        />
      ) : null}
    </>
  );
}
