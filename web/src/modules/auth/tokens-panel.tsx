import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { api, type Page } from '../../app/api';
import { errorMessage } from '../../app/errors';
import { Icon } from '../../app/icons';
import { Button, FormError, Spinner, TextField, useNotify } from '../../app/ui';
import { useFormErrors } from '../../app/use-form-errors';
import { useI18n } from '../../i18n/i18n';

type Token = { id: string; name: string; createdAt: string; lastUsedAt: string | null };
type NewToken = { id: string; name: string; token: string; createdAt: string };

/** The secret of a new token, shown once with a copy button: the API never shows it again. */
function NewTokenBox({ token, onDone }: { token: NewToken; onDone(): void }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);

  const copy = () => {
    input.current?.select();
    const done = () => setCopied(true);
    if (navigator.clipboard) {
      navigator.clipboard.writeText(token.token).then(done, () => {
        // Without clipboard access the text stays selected for Ctrl+C.
      });
    }
  };

  return (
    <div className="new-token" data-testid="new-token">
      <p className="new-token-title">
        <Icon name="key" /> {t('tokens.createdTitle', { name: token.name })}
      </p>
      <p className="new-token-text">{t('tokens.createdText')}</p>
      <div className="copy-row">
        <input
          ref={input}
          className="input input-mono"
          readOnly
          value={token.token}
          aria-label={t('tokens.secret')}
          onFocus={(event) => event.target.select()}
          data-testid="new-token-value"
        />
        <Button icon={copied ? 'check' : 'copy'} onClick={copy}>
          {copied ? t('common.copied') : t('common.copy')}
        </Button>
      </div>
      <Button variant="ghost" onClick={onDone}>
        {t('tokens.done')}
      </Button>
    </div>
  );
}

/** API tokens let scripts and integrations call the API with this user's rights. */
export function TokensPanel() {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const notify = useNotify();
  const errors = useFormErrors();
  const [tokens, setTokens] = useState<Token[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<NewToken | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);

  const load = useCallback(() => {
    api<Page<Token>>('GET', '/api/auth/tokens', undefined, { query: { limit: 500, sort: '-createdAt' } })
      .then((page) => {
        setTokens(page.items);
        setLoadError(null);
      })
      .catch((error: unknown) => setLoadError(errorMessage(error, i18n)));
  }, [i18n]);

  useEffect(() => load(), [load]);

  const create = (event: FormEvent) => {
    event.preventDefault();
    errors.clear();
    if (!name.trim()) {
      errors.setField('name', t('validation.required'));
      return;
    }
    setBusy(true);
    api<NewToken>('POST', '/api/auth/tokens', { name: name.trim() })
      .then((token) => {
        setCreated(token);
        setName('');
        load();
      })
      .catch((error: unknown) => errors.show(error, { knownFields: ['name'] }))
      .finally(() => setBusy(false));
  };

  const remove = (token: Token) => {
    if (!window.confirm(t('tokens.confirmDelete', { name: token.name }))) return;
    setDeleting(token.id);
    api<void>('DELETE', `/api/auth/tokens/${encodeURIComponent(token.id)}`)
      .then(() => {
        notify('success', t('tokens.deleted'));
        load();
      })
      .catch((error: unknown) => notify('error', errorMessage(error, i18n)))
      .finally(() => setDeleting(null));
  };

  return (
    <section className="panel" data-testid="tokens-panel">
      <h2 className="panel-title">{t('tokens.title')}</h2>
      <p className="panel-text">{t('tokens.lead')}</p>
      {created ? <NewTokenBox token={created} onDone={() => setCreated(null)} /> : null}
      <form className="inline-form" onSubmit={create} noValidate>
        <TextField
          label={t('tokens.name')}
          name="name"
          value={name}
          onChange={setName}
          error={errors.fields.name}
          placeholder={t('tokens.namePlaceholder')}
        />
        <Button type="submit" variant="primary" icon="plus" busy={busy}>
          {t('tokens.create')}
        </Button>
      </form>
      <FormError message={errors.general ?? loadError} />
      {tokens === null && !loadError ? (
        <Spinner />
      ) : tokens && tokens.length === 0 ? (
        <p className="muted">{t('tokens.empty')}</p>
      ) : tokens ? (
        <ul className="token-list">
          {tokens.map((token) => (
            <li key={token.id} className="token-item">
              <div className="token-text">
                <span className="token-name">{token.name}</span>
                <span className="muted small">
                  {t('tokens.createdAt', { date: formatDateTime(token.createdAt) })}
                  {' · '}
                  {token.lastUsedAt
                    ? t('tokens.lastUsedAt', { date: formatDateTime(token.lastUsedAt) })
                    : t('tokens.neverUsed')}
                </span>
              </div>
              <Button
                variant="ghost"
                icon="trash"
                busy={deleting === token.id}
                onClick={() => remove(token)}
                aria-label={t('tokens.delete', { name: token.name })}
                title={t('tokens.delete', { name: token.name })}
              />
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
