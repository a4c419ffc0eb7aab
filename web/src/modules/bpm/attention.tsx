// The processes' part of "Waiting for you": the steps in the user's inbox.
import { useCallback } from 'react';
import { AttentionItems } from '../../app/attention';
import { useI18n } from '../../i18n/i18n';
import { countTasks } from './api';
import { INBOX_PATH } from './inbox-count';

export default function BpmAttention() {
  const { t } = useI18n();
  const load = useCallback(
    async (signal: AbortSignal) => [
      { key: 'bpm-tasks', count: await countTasks(signal), label: t('bpm.attention.tasks'), to: INBOX_PATH },
    ],
    [t],
  );
  return <AttentionItems load={load} />;
}
