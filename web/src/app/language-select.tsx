import { useState } from 'react';
import { isLocale, LOCALE_NAMES, LOCALES, useI18n } from '../i18n/i18n';
import { errorMessage } from './errors';
import { Icon } from './icons';
import { useSession } from './session';
import { useNotify } from './ui';

/** The language switch; each language is named in itself so anyone can find theirs. */
export function LanguageSelect({ compact = false }: { compact?: boolean }) {
  const i18n = useI18n();
  const { changeLocale } = useSession();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);

  return (
    <label className={`language-select${compact ? ' language-select-compact' : ''}`}>
      <Icon name="globe" />
      <span className="visually-hidden">{i18n.t('common.language')}</span>
      <select
        value={i18n.locale}
        disabled={busy}
        data-testid="language-select"
        onChange={(event) => {
          const locale = event.target.value;
          if (!isLocale(locale)) return;
          setBusy(true);
          changeLocale(locale)
            .catch((error: unknown) => notify('error', errorMessage(error, i18n)))
            .finally(() => setBusy(false));
        }}
      >
        {LOCALES.map((locale) => (
          <option key={locale} value={locale} lang={locale}>
            {LOCALE_NAMES[locale]}
          </option>
        ))}
      </select>
    </label>
  );
}
