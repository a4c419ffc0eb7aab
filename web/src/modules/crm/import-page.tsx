import { useRef } from 'react';
import { api } from '../../app/api';
import { ImportWizard } from '../../app/import-wizard';
import { Link } from '../../app/router';
import { PageHeader } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import { CRM, type ImportValidation, uploadImport } from './api';
import { guessMapping, IMPORT_FIELDS, mappingProblem } from './import-mapping';
import './crm.css';

/** Import of clients from CSV or XLSX: the upload is kept on the server between the steps. */
export default function ImportPage() {
  const { t, formatNumber } = useI18n();
  const importId = useRef('');
  const path = (step: string) => `${CRM}/clients/import/${encodeURIComponent(importId.current)}/${step}`;

  return (
    <>
      <PageHeader title={t('crm.import.title')} description={t('crm.import.lead')} />
      <ImportWizard
        fields={IMPORT_FIELDS}
        fieldLabel={(field) => t(`crm.importField.${field}`)}
        mappingProblem={(mapping) => (mappingProblem(mapping) ? t('crm.import.nameMissing') : null)}
        mapText={t('crm.import.mapText')}
        read={async (file) => {
          const answer = await uploadImport(file);
          importId.current = answer.importId;
          return { ...answer, mapping: guessMapping(answer.columns, answer.suggestedMapping) };
        }}
        check={(mapping) => api<ImportValidation>('POST', path('validate'), { mapping })}
        commit={async (mapping, skipInvalid) => {
          const result = await api<{ created: number; skipped: number }>('POST', path('commit'), {
            mapping,
            skipInvalid,
          });
          return {
            done: (
              <p>
                {t('crm.import.doneText', {
                  created: formatNumber(result.created),
                  skipped: formatNumber(result.skipped),
                })}
              </p>
            ),
          };
        }}
        commitLabel={(count) => t('crm.import.commit', { count: formatNumber(count) })}
        committingLabel={t('crm.import.busy.committing')}
        doneAction={
          <Link className="button button-primary" to="/crm/clients">
            {t('crm.import.toClients')}
          </Link>
        }
      />
    </>
  );
}
