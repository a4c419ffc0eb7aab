import { useEffect, useRef, useState } from 'react';
import { ApiError, api, fetchPage } from '../../app/api';
import { Link, navigate } from '../../app/router';
import { useSession } from '../../app/session';
import { Button, FormError, PageHeader, useNotify } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import { useShipmentClient } from './client-picker';
import { ConfirmDialog } from './confirm-dialog';
import { apiIdempotent, erpErrorMessage, formatQuantity, isFinalRefusal, newIdempotencyKey } from './erp-api';
import { type LedgerEntry, PERMISSIONS, type StockDocument } from './types';
import './erp.css';

/** A status as a coloured badge. */
export function StatusBadge({ status }: { status: StockDocument['status'] }) {
  const { t } = useI18n();
  return (
    <span className={`badge erp-status-${status}`} data-testid="doc-status">
      {t(`erp.status.${status}`)}
    </span>
  );
}

/** A posted or reversed document: read-only, its effect on stock, and Reverse. */
export function DocumentView({ doc }: { doc: StockDocument }) {
  const i18n = useI18n();
  const { t, formatDate, formatMoney } = i18n;
  const { can } = useSession();
  const notify = useNotify();
  const [ledger, setLedger] = useState<LedgerEntry[] | null>(null);
  const [ledgerError, setLedgerError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const attemptKey = useRef<string | null>(null);
  const inFlight = useRef(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: i18n only words the error.
  useEffect(() => {
    const controller = new AbortController();
    fetchPage<LedgerEntry>(
      '/api/erp/stock-ledger',
      { documentId: doc.id, limit: 500, sort: 'postedAt' },
      controller.signal,
    )
      .then((page) => setLedger([...page.items].sort((a, b) => a.lineNo - b.lineNo)))
      .catch((reason: unknown) => {
        if (!controller.signal.aborted) setLedgerError(erpErrorMessage(reason, i18n));
      });
    return () => controller.abort();
  }, [doc.id]);

  const reverse = async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    attemptKey.current ??= newIdempotencyKey();
    try {
      const reversal = await apiIdempotent<StockDocument>(
        'POST',
        `/api/erp/stock-documents/${encodeURIComponent(doc.id)}/reverse`,
        undefined,
        attemptKey.current,
      );
      attemptKey.current = null;
      notify('success', t('erp.doc.reversed', { number: doc.number, reversal: reversal.number }));
      navigate(`/erp/documents/${encodeURIComponent(reversal.id)}`);
    } catch (reason) {
      if (isFinalRefusal(reason)) attemptKey.current = null;
      setError(erpErrorMessage(reason, i18n));
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  /**
   * A new draft with this document's type, warehouses, client, reason, comment and lines (the
   * next delivery of the same goods from the same supplier, say), dated today, to edit and post.
   */
  const copyToDraft = async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    try {
      const draft = await api<StockDocument>('POST', '/api/erp/stock-documents', {
        type: doc.type,
        warehouseId: doc.warehouseId,
        ...(doc.targetWarehouseId && { targetWarehouseId: doc.targetWarehouseId }),
        ...(doc.clientId && { clientId: doc.clientId }),
        ...(doc.dealId && { dealId: doc.dealId }),
        ...(doc.reason && { reason: doc.reason }),
        ...(doc.comment && { comment: doc.comment }),
        lines: doc.lines.map((line) => ({
          productId: line.productId,
          quantity: line.quantity,
          ...(line.price !== null && { price: line.price }),
        })),
      });
      notify('success', t('erp.doc.copied', { number: doc.number, copy: draft.number }));
      navigate(`/erp/documents/${encodeURIComponent(draft.id)}`);
    } catch (reason) {
      // A line the copy cannot keep (a product retired since, say) is named by its SKU.
      const issues = reason instanceof ApiError ? reason.issues : [];
      const named = issues.map((issue) => {
        const line = /^lines\.(\d+)\./.exec(issue.path);
        const sku = line ? doc.lines[Number(line[1])]?.productSku : undefined;
        return sku ? `${sku}: ${issue.message}` : issue.message;
      });
      setError(named.length > 0 ? named.join(' ') : erpErrorMessage(reason, i18n));
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  // A reversal is final: undoing it would post the original's goods again without a document.
  const canReverse =
    doc.status === 'posted' && !doc.reversedById && !doc.reversalOfId && can(PERMISSIONS.documentsPost);
  // A count's lines are what was found on one day, and a reversal's are another document's.
  const canCopy = doc.type !== 'count' && !doc.reversalOfId && can(PERMISSIONS.documentsWrite);
  const isCount = doc.type === 'count';
  // Prices are shown, with each line's amount and the total, when any line has one.
  const priced = !isCount && doc.lines.some((line) => line.price !== null);
  const amountOf = (line: StockDocument['lines'][number]) =>
    line.price === null ? null : Number(line.quantity) * Number(line.price);
  const total = doc.lines.reduce((sum, line) => sum + (amountOf(line) ?? 0), 0);
  const warehouses = doc.targetWarehouseCode
    ? `${doc.warehouseCode} → ${doc.targetWarehouseCode}`
    : doc.warehouseCode;

  return (
    <div className="erp-document" data-testid="document-view">
      <PageHeader
        title={t(doc.reversalOfId ? 'erp.doc.reversalTitle' : 'erp.doc.title', {
          type: t(`erp.type.${doc.type}`),
          number: doc.number,
        })}
        description={
          doc.reversalOfId
            ? t('erp.doc.readOnlyReversal', { number: doc.reversalOfNumber ?? '' })
            : doc.reversedById
              ? t('erp.doc.readOnlyReversed', { number: doc.reversedByNumber ?? '' })
              : t('erp.doc.readOnly')
        }
        actions={
          <>
            <Link className="button button-secondary" to="/erp/documents">
              {t('erp.doc.back')}
            </Link>
            <Button icon="print" onClick={() => window.print()} data-testid="doc-print">
              {t('erp.doc.print')}
            </Button>
            {canCopy ? (
              <Button
                icon="plus"
                onClick={() => void copyToDraft()}
                busy={busy && !confirming}
                disabled={busy}
                data-testid="doc-copy"
              >
                {t('erp.doc.copy')}
              </Button>
            ) : null}
            {canReverse ? (
              <Button
                variant="danger"
                icon="refresh"
                onClick={() => {
                  setError(null);
                  setConfirming(true);
                }}
                data-testid="doc-reverse"
              >
                {t('erp.doc.reverse')}
              </Button>
            ) : null}
          </>
        }
      />
      <FormError message={confirming ? null : error} />
      <section className="panel">
        <dl className="facts erp-facts">
          <div>
            <dt>{t('erp.fields.number')}</dt>
            <dd className="erp-sku" data-testid="doc-number">
              {doc.number}
            </dd>
          </div>
          <div>
            <dt>{t('erp.fields.status')}</dt>
            <dd>
              <StatusBadge status={doc.status} />
            </dd>
          </div>
          <div>
            <dt>{t('erp.fields.type')}</dt>
            <dd>{t(`erp.type.${doc.type}`)}</dd>
          </div>
          <div>
            <dt>{t('erp.fields.date')}</dt>
            <dd>{formatDate(`${doc.date}T00:00:00`)}</dd>
          </div>
          <div>
            <dt>{doc.targetWarehouseCode ? t('erp.fields.fromWarehouse') : t('erp.fields.warehouse')}</dt>
            <dd>{warehouses}</dd>
          </div>
          {doc.reason ? (
            <div>
              <dt>{t('erp.fields.reason')}</dt>
              <dd>{t(`erp.reason.${doc.reason}`)}</dd>
            </div>
          ) : null}
          {doc.clientId ? (
            <div>
              <dt>{t('erp.fields.client')}</dt>
              <dd data-testid="doc-client-name">
                <ClientLink doc={{ ...doc, clientId: doc.clientId }} />
              </dd>
            </div>
          ) : null}
          {doc.dealId ? (
            <div>
              <dt>{t('erp.fields.deal')}</dt>
              <dd data-testid="doc-deal">
                <CrmLink
                  name={doc.dealTitle}
                  id={doc.dealId}
                  to={`/crm/deals?deal=${encodeURIComponent(doc.dealId)}`}
                  permission="crm.deals.read"
                />
              </dd>
            </div>
          ) : null}
          {doc.comment ? (
            <div>
              <dt>{t('erp.fields.comment')}</dt>
              <dd>{doc.comment}</dd>
            </div>
          ) : null}
          <div>
            <dt>{t('erp.fields.createdAt')}</dt>
            <dd data-testid="doc-created">
              <WhenAndWho at={doc.createdAt} by={doc.createdBy} />
            </dd>
          </div>
          {doc.postedAt ? (
            <div>
              <dt>{t('erp.fields.postedAt')}</dt>
              <dd data-testid="doc-posted">
                <WhenAndWho at={doc.postedAt} by={doc.postedBy} />
              </dd>
            </div>
          ) : null}
          {doc.reversalOfId ? (
            <div>
              <dt>{t('erp.doc.reversalOf')}</dt>
              <dd>
                <Link
                  className="erp-sku"
                  to={`/erp/documents/${encodeURIComponent(doc.reversalOfId)}`}
                  data-testid="reversal-of"
                >
                  {doc.reversalOfNumber ?? t('erp.fields.document')}
                </Link>
              </dd>
            </div>
          ) : null}
          {doc.reversedById ? (
            <div>
              <dt>{t('erp.doc.reversedBy')}</dt>
              <dd>
                <Link
                  className="erp-sku"
                  to={`/erp/documents/${encodeURIComponent(doc.reversedById)}`}
                  data-testid="reversed-by"
                >
                  {doc.reversedByNumber ?? t('erp.fields.document')}
                </Link>
              </dd>
            </div>
          ) : null}
        </dl>
      </section>

      <div className="grid-2 erp-document-tables erp-document-stacked">
        <section className="panel">
          <h2 className="panel-title">{t('erp.doc.linesTitle')}</h2>
          <div className="table-scroll">
            <table className="erp-table" data-testid="doc-lines">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t('erp.fields.product')}</th>
                  <th scope="col" className="erp-num">
                    {isCount ? t('erp.fields.counted') : t('erp.fields.quantity')}
                  </th>
                  {isCount ? (
                    <th scope="col" className="erp-num">
                      {t('erp.fields.difference')}
                    </th>
                  ) : null}
                  {priced ? (
                    <>
                      <th scope="col" className="erp-num">
                        {t('erp.fields.price')}
                      </th>
                      <th scope="col" className="erp-num">
                        {t('erp.fields.amount')}
                      </th>
                    </>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {doc.lines.map((line) => (
                  <tr key={line.id}>
                    <td>{line.lineNo}</td>
                    <td>
                      <span className="erp-sku">{line.productSku}</span> {line.productName}
                    </td>
                    <td className="erp-num">{formatQuantity(i18n, line.quantity, line.unit)}</td>
                    {isCount ? (
                      <td className="erp-num">
                        {line.difference
                          ? formatQuantity(i18n, line.difference, line.unit, { signed: true })
                          : ''}
                      </td>
                    ) : null}
                    {priced ? (
                      <>
                        <td className="erp-num">{line.price === null ? '' : formatMoney(line.price)}</td>
                        <td className="erp-num">{formatMoney(amountOf(line))}</td>
                      </>
                    ) : null}
                  </tr>
                ))}
              </tbody>
              {priced ? (
                <tfoot>
                  <tr>
                    <th scope="row" colSpan={4} className="erp-num">
                      {t('erp.doc.total')}
                    </th>
                    <td className="erp-num erp-total" data-testid="doc-total">
                      {formatMoney(total)}
                    </td>
                  </tr>
                </tfoot>
              ) : null}
            </table>
          </div>
        </section>
        <section className="panel erp-no-print">
          <h2 className="panel-title">{t('erp.doc.ledgerTitle')}</h2>
          <FormError message={ledgerError} />
          {ledger && ledger.length === 0 ? <p className="muted">{t('erp.doc.ledgerEmpty')}</p> : null}
          {ledger && ledger.length > 0 ? (
            <div className="table-scroll">
              <table className="erp-table" data-testid="doc-ledger">
                <thead>
                  <tr>
                    <th scope="col">{t('erp.fields.product')}</th>
                    <th scope="col">{t('erp.fields.warehouse')}</th>
                    <th scope="col" className="erp-num">
                      {t('erp.fields.quantity')}
                    </th>
                    <th scope="col" className="erp-num">
                      {t('erp.fields.balanceAfter')}
                    </th>
                    <th scope="col" className="erp-num">
                      {t('erp.fields.value')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {ledger.map((entry) => (
                    <tr key={entry.id}>
                      <td>
                        <span className="erp-sku">{entry.productSku}</span> {entry.productName}
                      </td>
                      <td>{entry.warehouseCode}</td>
                      <td className={`erp-num ${entry.quantity.startsWith('-') ? 'erp-minus' : 'erp-plus'}`}>
                        {formatQuantity(i18n, entry.quantity, undefined, { signed: true })}
                      </td>
                      <td className="erp-num" data-testid="ledger-balance-after">
                        {formatQuantity(i18n, entry.balanceAfter)}
                      </td>
                      <td className="erp-num" data-testid="ledger-value">
                        {i18n.formatMoney(entry.value)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </section>
      </div>

      {confirming ? (
        <ConfirmDialog
          title={t('erp.doc.reverse')}
          confirmLabel={t('erp.doc.reverse')}
          variant="danger"
          busy={busy}
          error={error}
          onConfirm={() => void reverse()}
          onCancel={() => setConfirming(false)}
          testId="reverse-dialog"
        >
          <p>{t('erp.doc.reverseConfirm', { number: doc.number })}</p>
        </ConfirmDialog>
      ) : null}
      <section className="erp-print-only erp-signatures" aria-hidden="true">
        <p>
          {t('erp.doc.handedOver')}: <span className="erp-signature-line" />
        </p>
        <p>
          {t('erp.doc.received')}: <span className="erp-signature-line" />
        </p>
      </section>
    </div>
  );
}

/** When something was done to the document and by whom; nobody named means the system did it. */
function WhenAndWho({ at, by }: { at: string; by: { name: string } | null | undefined }) {
  const { t, formatDateTime } = useI18n();
  // Answers other than the single read do not say who: the time alone then.
  if (by === undefined) return <>{formatDateTime(at)}</>;
  return (
    <>
      {formatDateTime(at)} · {by ? by.name : t('erp.doc.bySystem')}
    </>
  );
}

/** A CRM record the document names: its name, a link for those who may read CRM; the id if CRM did not say. */
function CrmLink({
  name,
  id,
  to,
  permission,
}: {
  name?: string | null;
  id: string;
  to: string;
  permission: string;
}) {
  const { can } = useSession();
  if (!name) return <span className="erp-sku">{id}</span>;
  if (!can(permission)) return <>{name}</>;
  return <Link to={to}>{name}</Link>;
}

/** The shipment's client: the name the document read brought, else asked of ERP's lookup. */
function ClientLink({ doc }: { doc: StockDocument & { clientId: string } }) {
  const looked = useShipmentClient(doc.clientName === undefined ? doc.clientId : null);
  return (
    <CrmLink
      name={doc.clientName ?? looked?.name}
      id={doc.clientId}
      to={`/crm/clients/${encodeURIComponent(doc.clientId)}`}
      permission="crm.clients.read"
    />
  );
}
