// The problems of a refused deployment as a list; each names its element and selects it on the diagram.
import { useI18n } from '../../i18n/i18n';
import type { Problem } from './api';

export function ProblemsList({
  problems,
  onSelect,
}: {
  problems: Problem[];
  onSelect(elementId: string): void;
}) {
  const { t } = useI18n();
  if (problems.length === 0) return null;
  return (
    <section className="bpm-problems" role="alert" data-testid="problems">
      <h2>{t('bpm.modeler.problemsTitle', { count: problems.length })}</h2>
      <ul>
        {problems.map((problem, index) => {
          const label = problem.name || problem.elementId || t('bpm.modeler.wholeModel');
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: problems have no id and never move.
            <li key={index}>
              {problem.elementId ? (
                <button type="button" className="bpm-link" onClick={() => onSelect(problem.elementId ?? '')}>
                  {label}
                </button>
              ) : (
                <strong>{label}</strong>
              )}
              <span>{problem.message}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
