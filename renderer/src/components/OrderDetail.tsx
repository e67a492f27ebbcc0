// Side panel: the order, its plan in words, methods, timeline and links to related orders.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeskApi, IpcResult } from '../../../shared/ipc.ts';
import { cardChargeUnconfirmed, recoveryIneligibility } from '../../../shared/recovery-eligibility.ts';
import { cardChargeStarted } from '../../../shared/planner.ts';
import { amountsText, failureReason, holdText, reasonTitleKey } from '../lib/explain.ts';
import { formatDateTime, formatDepDate, formatMoney } from '../lib/format.ts';
import { waitingFor } from '../lib/jobs.ts';
import { useDeskCall } from '../lib/use-desk-call.ts';
import { useOrders } from '../stores/orders.ts';
import { useQueue } from '../stores/queue.ts';
import { useUi } from '../stores/ui.ts';
import { OrderDeadline } from './Countdown.tsx';
import { ErrorNote } from './ErrorNote.tsx';
import { MethodList } from './MethodList.tsx';
import { OrderLink } from './OrderLink.tsx';
import { PlanExplanation } from './PlanExplanation.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import { Timeline } from './Timeline.tsx';

/** A recovery job of this order waits for a new approval: what was approved, what Atlas asks now. */
function WaitingApproval({ orderNo }: { orderNo: string }) {
  const { t, i18n } = useTranslation();
  const jobs = useQueue((s) => s.jobs);
  const [job] = waitingFor(jobs, new Set([orderNo]));
  if (!job) return null;
  const approved = amountsText(i18n, job.approval) ?? t('timeline.nothingApproved');
  const due = amountsText(i18n, job.quote) ?? t('timeline.nothingApproved');
  return (
    <div className="staff-decision" data-testid="waiting-approval">
      <p>{job.reason === 'approval_expired' ? t('detail.waitingApprovalExpired', { due }) : t('detail.waitingApproval', { approved, due })}</p>
      <button type="button" className="primary" onClick={() => useUi.getState().openApprove([job.id])} data-testid="detail-approve">
        {t('detail.approve')}
      </button>
    </div>
  );
}

/**
 * A staff decision the desk must not take for them, spelled out before it is confirmed: saying an
 * unpaid order's payment failed (Atlas never marks Scenario A, docs/money-safety.md §1), that an
 * order whose payment outcome Atlas never confirmed was checked and not charged
 * (docs/money-safety.md rule 2), or that a card charge Atlas started on it took no money
 * (docs/money-safety.md rule 12).
 */
function StaffDecision(props: {
  testId: string;
  texts: { note: string; start: string; confirm: string; yes: string };
  run: (api: DeskApi) => Promise<IpcResult<unknown>>;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const decision = useDeskCall(props.run);
  const busy = decision.loading;
  const confirm = async () => {
    const r = await decision.run();
    if (!r?.ok) return;
    setConfirming(false);
    props.onDone();
  };
  const { note, start, confirm: confirmText, yes } = props.texts;
  return (
    <div className="staff-decision" data-testid={props.testId}>
      <p className="muted">{t(note)}</p>
      {confirming ? (
        <div role="group" aria-label={t(start)}>
          <p>{t(confirmText)}</p>
          <div className="actions">
            <button type="button" onClick={() => setConfirming(false)} disabled={busy}>{t('common.cancel')}</button>
            <button type="button" className="primary" onClick={() => void confirm()} disabled={busy} data-testid={`${props.testId}-confirm`}>
              {t(yes)}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" onClick={() => setConfirming(true)} data-testid={`${props.testId}-start`}>{t(start)}</button>
      )}
      <ErrorNote error={decision.error} onRetry={() => void confirm()} />
    </div>
  );
}

export function OrderDetail({ orderNo }: { orderNo: string }) {
  const { t, i18n } = useTranslation();
  const listed = useOrders((s) => s.orders.find((o) => o.orderNo === orderNo));
  // Reload when the list copy changes (a push said this order moved on).
  const details = useDeskCall((d) => d.orders.show({ orderNo }), { loadOn: [orderNo, listed] });
  const load = details.retry;
  // Until this order's answer is in, the last one may be another order's.
  const shown = details.value?.order.orderNo === orderNo ? details.value : null;
  const order = shown ? shown.order : listed;
  const close = () => useUi.getState().openDetail(null);
  return (
    <aside className="detail" aria-label={t('detail.title', { orderNo })} data-testid="order-detail">
      <header className="detail-head">
        <h2 className="mono">{orderNo}</h2>
        <button type="button" className="icon" aria-label={t('common.close')} onClick={close} data-testid="detail-close">×</button>
      </header>
      <ErrorNote error={details.error} onRetry={load} />
      {order && (
        <>
          <dl className="facts">
            <dt>{t('orders.col.status')}</dt>
            <dd><StatusBadge order={order} /> {t(`orderStatus.${order.details.orderStatus}`)}</dd>
            {order.claimedBy && (
              <>
                <dt>{t('team.desk')}</dt>
                <dd data-testid="claimed-by">{t('team.detailNote', { staff: order.claimedBy.staff })}</dd>
              </>
            )}
            <dt>{t('orders.col.pnr')}</dt>
            <dd className="mono">{order.details.pnrCode ?? '—'}</dd>
            <dt>{t('orders.col.route')}</dt>
            <dd>{order.details.fromCity ?? order.details.fromAirport ?? '—'} → {order.details.toCity ?? order.details.toAirport ?? '—'} · {formatDepDate(order.details.depDate, i18n.language)} · {order.details.airlines.join(', ')}</dd>
            <dt>{t('orders.col.amount')}</dt>
            <dd className="money">{formatMoney(order.details.totalPrice, order.details.currency, i18n.language)}</dd>
            <dt>{t(reasonTitleKey(order.category))}</dt>
            <dd>{failureReason(i18n, order)}{order.details.airlineMessage && <div className="muted">{order.details.airlineMessage}</div>}</dd>
            <dt>{t('orders.col.deadline')}</dt>
            <dd><OrderDeadline order={order} verbose /></dd>
            <dt>{t('detail.passengers')}</dt>
            <dd>{order.details.passengers.map((p) => p.name).join(', ') || '—'}</dd>
            {order.regeneratedFrom && (
              <>
                <dt>{t('detail.original')}</dt>
                <dd><OrderLink orderNo={order.regeneratedFrom} /></dd>
              </>
            )}
            {order.regeneratedInto.length > 0 && (
              <>
                <dt>{t('detail.regeneratedInto')}</dt>
                <dd>{order.regeneratedInto.map((n) => <OrderLink key={n} orderNo={n} />)}</dd>
              </>
            )}
          </dl>
          <h3>{t('detail.plan')}</h3>
          <PlanExplanation plan={order.plan} />
          <h3>{t('detail.methods')}</h3>
          <MethodList methods={order.plan.methods} />
          {order.category === 'unpaid' && (
            <StaffDecision
              testId="mark-failed"
              texts={{ note: 'detail.unpaidNote', start: 'detail.markFailed', confirm: 'detail.markFailedConfirm', yes: 'detail.markFailedYes' }}
              run={(d) => d.orders.add({ orderNos: [order.orderNo], markFailed: true })}
              onDone={() => void load()}
            />
          )}
          {cardChargeUnconfirmed(order) && (
            <StaffDecision
              testId="not-charged"
              texts={{ note: 'detail.chargeStartedNote', start: 'detail.confirmNotCharged', confirm: 'detail.confirmNotChargedConfirm', yes: 'detail.confirmNotChargedYes' }}
              run={(d) => d.orders.confirmNotCharged({ orderNo: order.orderNo })}
              onDone={() => void load()}
            />
          )}
          {cardChargeStarted(order.details) && order.notChargedCheck && (
            <p className="muted" data-testid="not-charged-by">
              {t('detail.notChargedBy', { by: order.notChargedCheck.by ?? '—', at: formatDateTime(order.notChargedCheck.at, i18n.language) })}
            </p>
          )}
          <WaitingApproval orderNo={order.orderNo} />
          {order.attentionReason === 'outcome_unknown' && (
            <StaffDecision
              testId="acknowledge"
              texts={{ note: 'detail.unknownNote', start: 'detail.acknowledge', confirm: 'detail.acknowledgeConfirm', yes: 'detail.acknowledgeYes' }}
              run={(d) => d.orders.acknowledge({ orderNo: order.orderNo })}
              onDone={() => void load()}
            />
          )}
          <div className="actions">
            <button
              type="button"
              className="primary"
              disabled={recoveryIneligibility(order) !== null}
              onClick={() => useUi.getState().openDialog('recover', order.orderNo)}
              data-testid="detail-recover"
            >
              {order.claimedBy ? holdText(t, order.claimedBy) : t('detail.recover')}
            </button>
          </div>
          <h3>{t('detail.timeline')}</h3>
          {shown ? <Timeline events={shown.timeline} /> : <p className="muted">{t('common.loading')}</p>}
        </>
      )}
    </aside>
  );
}
