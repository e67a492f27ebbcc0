// Recover one order: with deposit (balance against amount due) or with a new card. What the dialog
// shows as due is what staff approve: it is sent with the intent (docs/money-safety.md rule 9).
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CARD, DEPOSIT, type CardDetails, type Money } from '../../../shared/atlas.ts';
import { approvedFromOffer } from '../../../shared/approval.ts';
import { paymentLimitCurrency } from '../../../shared/card.ts';
import { SETTLED_JOB_STATES, type DeskOrder } from '../../../shared/desk.ts';
import type { MethodOffer } from '../../../shared/plan.ts';
import { compareMoney } from '../../../shared/money.ts';
import { cardChargeUnconfirmed, recoveryIneligibility } from '../../../shared/recovery-eligibility.ts';
import { codeText } from '../lib/explain.ts';
import { formatMoney } from '../lib/format.ts';
import { CANCELLABLE } from '../lib/jobs.ts';
import { useDeskCall } from '../lib/use-desk-call.ts';
import { useQueue } from '../stores/queue.ts';
import { CardForm } from './CardForm.tsx';
import { Dialog } from './Dialog.tsx';
import { ErrorNote } from './ErrorNote.tsx';
import { JobStatus } from './JobStatus.tsx';
import { PlanExplanation } from './PlanExplanation.tsx';

type Choice = 'deposit' | 'card';

function DepositSummary({ offer, balances }: { offer: MethodOffer | undefined; balances: Money[] | null }) {
  const { t, i18n } = useTranslation();
  const due = offer?.dueFromDeposit;
  if (!due) return null;
  const balance = balances?.find((b) => b.currency === due.currency) ?? null;
  // A balance that cannot be compared exactly is shown as short: the runner stops on it too.
  const cmp = balance === null ? null : compareMoney(balance, due);
  const short = balance !== null && (cmp === null || cmp < 0);
  return (
    <dl className="facts compact" data-testid="deposit-summary">
      <dt>{t('recover.due')}</dt>
      <dd className="money">{formatMoney(due.amount, due.currency, i18n.language)}</dd>
      <dt>{t('recover.balance')}</dt>
      <dd className={short ? 'money warn-text' : 'money'} data-testid="deposit-balance">
        {balance ? formatMoney(balance.amount, balance.currency, i18n.language) : t('recover.balanceUnknown')}
      </dd>
      {short && <dd className="warn-text full">{t('recover.short')}</dd>}
    </dl>
  );
}

/** A card payment's two parts: the card charge (vendor currency) and Atlas's fee from the deposit. */
function CardSummary({ offer }: { offer: MethodOffer | undefined }) {
  const { t, i18n } = useTranslation();
  if (!offer?.dueFromCard && !offer?.dueFromDeposit) return null;
  return (
    <dl className="facts compact" data-testid="card-summary">
      {offer.dueFromCard && (
        <>
          <dt>{t('recover.cardDue')}</dt>
          <dd className="money" data-testid="card-due">{formatMoney(offer.dueFromCard.amount, offer.dueFromCard.currency, i18n.language)}</dd>
        </>
      )}
      {offer.dueFromDeposit && (
        <>
          <dt>{t('recover.cardFee')}</dt>
          <dd className="money" data-testid="card-fee">{formatMoney(offer.dueFromDeposit.amount, offer.dueFromDeposit.currency, i18n.language)}</dd>
        </>
      )}
    </dl>
  );
}

/**
 * Keeps its own copy of the order: once a job starts, the order often leaves the failed list
 * (ticketed, regenerated), and the live result must stay on screen until staff close it.
 * `initial` is the list's copy when there is one; otherwise the order is read with orders:show.
 */
export function RecoverDialog({ orderNo, initial, onClose }: { orderNo: string; initial?: DeskOrder | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const [snapshot] = useState(initial);
  return (
    <Dialog title={t('recover.title', { orderNo })} onClose={onClose} testId="recover-dialog" wide>
      {snapshot ? <RecoverOrder order={snapshot} onClose={onClose} /> : <ReadThenRecover orderNo={orderNo} onClose={onClose} />}
    </Dialog>
  );
}

/** The order is not in the list (a regenerated one, a link): read once, and that copy is kept. */
function ReadThenRecover({ orderNo, onClose }: { orderNo: string; onClose: () => void }) {
  const { t } = useTranslation();
  const shown = useDeskCall((d) => d.orders.show({ orderNo }), { loadOn: [orderNo] });
  if (shown.value) return <RecoverOrder order={shown.value.order} onClose={onClose} />;
  return shown.error ? <ErrorNote error={shown.error} onRetry={shown.retry} /> : <p className="muted">{t('common.loading')}</p>;
}

function RecoverOrder({ order, onClose }: { order: DeskOrder; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  // Read once when the dialog opens (the list's copy until then, or if the read fails); a job
  // started here is followed live.
  const fresh = useDeskCall((d) => d.recovery.plan({ orderNo: order.orderNo }), { loadOn: [order.orderNo] });
  const plan = fresh.value?.plan ?? order.plan;
  const depositOffer = plan.methods.find((m) => m.paymentMethod === 1);
  const cardOffer = plan.methods.find((m) => m.paymentMethod === 3);
  const depositCurrency = depositOffer?.dueFromDeposit?.currency ?? null;
  const balances = useDeskCall((d) => d.balance.get({ currencies: depositCurrency ? [depositCurrency] : [] }), {
    loadOn: [depositCurrency],
    skip: depositCurrency === null,
  });
  // A job this order already has (asked for it, or paying its regenerated order): a card is never
  // silently dropped onto it; staff may replace its method while it has sent nothing.
  const queued = useQueue((s) =>
    s.jobs.find((j) => !SETTLED_JOB_STATES.includes(j.state) && (j.orderNo === order.orderNo || j.currentOrderNo === order.orderNo)),
  );
  const [replace, setReplace] = useState(false);
  const deposit = useDeskCall((d) => {
    const due = depositOffer?.dueFromDeposit;
    return d.recovery.deposit({ orderNos: [order.orderNo], approvals: due ? [{ orderNo: order.orderNo, dueFromDeposit: due }] : [] });
  });
  const cardIntent = useDeskCall((d, card: CardDetails) => {
    const approved = cardOffer ? approvedFromOffer(cardOffer) : { dueFromDeposit: null, dueFromCard: null };
    return d.recovery.card({ orderNo: order.orderNo, card, approved, ...(replace && queued ? { replaceJobId: queued.id } : {}) });
  });
  const [choice, setChoice] = useState<Choice | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useQueue((s) => s.jobs.find((j) => j.id === jobId));
  /** Why the desk refused to queue this order, in words. */
  const refusal = !deposit.loading && deposit.value && deposit.value.jobs.length === 0 ? (deposit.value.rejected[0]?.reason ?? null) : null;
  // The form that had focus is replaced by the result: put focus on its Close button.
  const closeRef = useRef<HTMLButtonElement>(null);
  const hasJob = job !== undefined;
  useEffect(() => {
    if (hasJob) closeRef.current?.focus();
  }, [hasJob]);

  // The order as the desk now plans it: each method is open only if the shared rule allows it.
  const cardBlock = recoveryIneligibility({ ...order, plan }, CARD);
  const depositBlock = recoveryIneligibility({ ...order, plan }, DEPOSIT);
  // Atlas started a card charge on this unpaid order: staff confirm in the order's panel first (rule 12).
  const chargeUnconfirmed = cardChargeUnconfirmed(order);
  const current = choice ?? (depositBlock ? (cardBlock ? null : 'card') : 'deposit');

  const payDeposit = async () => {
    const r = await deposit.run();
    if (!r?.ok) return;
    useQueue.getState().upsert(r.value.jobs);
    const first = r.value.jobs[0];
    if (first) setJobId(first.id);
  };

  const payCard = async (card: CardDetails) => {
    const r = await cardIntent.run(card);
    // Dropped: the dialog is gone.
    if (!r) return null;
    if (!r.ok) return r.error;
    useQueue.getState().upsert([r.value]);
    setJobId(r.value.id);
    return null;
  };

  const d = order.details;
  return (
    <>
      <PlanExplanation plan={plan} />
      {job ? (
        <div className="result" role="status" data-testid="recover-result">
          <p>{t('recover.queued')}</p>
          <JobStatus job={job} />
          <div className="actions"><button type="button" className="primary" onClick={onClose} ref={closeRef}>{t('common.close')}</button></div>
        </div>
      ) : chargeUnconfirmed ? (
        <>
          <p className="note" role="status" data-testid="recover-charge-unconfirmed">{t('recover.chargeUnconfirmed')}</p>
          <div className="actions"><button type="button" onClick={onClose}>{t('common.close')}</button></div>
        </>
      ) : (
        <>
          {queued && (
            <p className="note" data-testid="recover-queued-job">
              {t('recover.queuedJob', { method: t(`method.${queued.method}`), state: t(`queue.state.${queued.state}`) })}
            </p>
          )}
          <div className="choices" role="radiogroup" aria-label={t('recover.method')}>
            <label className={depositBlock ? 'choice disabled' : 'choice'}>
              <input type="radio" name="method" checked={current === 'deposit'} disabled={!!depositBlock} onChange={() => setChoice('deposit')} aria-label={t('method.1')} data-testid="choose-deposit" />
              <span>{t('method.1')}</span>
              {depositBlock && <span className="muted reason" data-testid="deposit-disabled-reason">{codeText(i18n, depositBlock)}</span>}
            </label>
            <label className={cardBlock ? 'choice disabled' : 'choice'}>
              <input type="radio" name="method" checked={current === 'card'} disabled={!!cardBlock} onChange={() => setChoice('card')} aria-label={t('method.3')} data-testid="choose-card" />
              <span>{t('method.3')}</span>
              {cardBlock && <span className="muted reason" data-testid="card-disabled-reason">{codeText(i18n, cardBlock)}</span>}
            </label>
          </div>
          <ErrorNote error={balances.error} onRetry={balances.retry} />
          <ErrorNote error={deposit.error} />
          {refusal && (
            <p className="error-note" role="alert" data-testid="recover-refused">
              {t('recover.refused', { reason: codeText(i18n, refusal) })}
            </p>
          )}
          {current === 'deposit' && (
            <>
              <DepositSummary offer={depositOffer} balances={balances.value} />
              <p className="hint muted" data-testid="recover-approve-note">{t('recover.approveNote')}</p>
              <div className="actions">
                <button type="button" onClick={onClose}>{t('common.cancel')}</button>
                <button type="button" className="primary" disabled={deposit.loading} onClick={() => void payDeposit()} data-testid="confirm-deposit">
                  {deposit.loading ? t('common.working') : t('recover.payDeposit')}
                </button>
              </div>
            </>
          )}
          {current === 'card' && (
            <>
              <CardSummary offer={cardOffer} />
              <p className="hint muted">{t('recover.approveNote')}</p>
              {queued &&
                (CANCELLABLE.has(queued.state) ? (
                  <label className="check">
                    <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} aria-label={t('recover.replaceJob')} data-testid="replace-job" />
                    {t('recover.replaceJob')}
                  </label>
                ) : (
                  <p className="warn-text" data-testid="recover-cannot-replace">{t('recover.cannotReplace')}</p>
                ))}
              <CardForm
                airlines={d.airlines}
                vendorAmount={d.vendorTotalPrice ?? cardOffer?.dueFromCard?.amount ?? null}
                vendorCurrency={paymentLimitCurrency(d, plan)}
                repriced={plan.action === 'regenerate_then_pay'}
                submitLabel={t('recover.payCard')}
                onSubmit={payCard}
                onCancel={onClose}
              />
            </>
          )}
          {current === null && <p className="muted" data-testid="no-method">{t('recover.nothingAllowed')}</p>}
        </>
      )}
    </>
  );
}
