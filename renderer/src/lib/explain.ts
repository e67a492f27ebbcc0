// Turns codes (IPC errors, ticket error codes, planner reasons, job reasons) into translated words.
// Every lookup has a fallback that still says something useful instead of showing a raw key.
import type { i18n as I18n, TFunction } from 'i18next';
import type { DeskOrder, TeamHold } from '../../../shared/desk.ts';
import type { IpcError } from '../../../shared/ipc.ts';
import { formatMoney } from './format.ts';
import type { Tab } from './order-view.ts';

export function errorText(t: TFunction, error: IpcError): string {
  return t(`errors.${error.code}`, { defaultValue: t('errors.internal') });
}

/**
 * Words for a code: planner reasons and warnings, attention reasons, job reasons (shared/reasons.ts
 * JobReason) and refusal reasons (RefusalReason) share one namespace of codes.
 */
export function codeText(i18n: I18n, code: string): string {
  for (const ns of ['plan.reason', 'plan.warning', 'attention', 'jobReason', 'refusal']) {
    const key = `${ns}.${code}`;
    if (i18n.exists(key)) return i18n.t(key);
  }
  // Job reasons that carry an Atlas code: pay_rejected_411, regenerate_rejected_314, read_business_800…
  const rejected = /^(pay|regenerate)_rejected_(.+)$/.exec(code);
  if (rejected) return i18n.t(`jobReason.${rejected[1]}_rejected`, { code: rejected[2] });
  if (code.startsWith('read_')) return i18n.t('jobReason.read_failed', { detail: code.slice('read_'.length) });
  // A cancelled-again job's reason is the new ticket errorCode.
  if (/^\d{3,4}$/.test(code)) return ticketErrorText(i18n, code, null);
  return i18n.t('common.unknownCode', { code });
}

/** A `{ amount, currency }` from timeline data or a job, formatted; null when it is not one. */
function moneyText(i18n: I18n, v: unknown): string | null {
  if (!v || typeof v !== 'object') return null;
  const m = v as { amount?: unknown; currency?: unknown };
  return typeof m.amount === 'number' && typeof m.currency === 'string' ? formatMoney(m.amount, m.currency, i18n.language) : null;
}

/**
 * What an approval covers (or a job is asked now), per source: "USD 440.00 on the card + USD 2.00
 * from the deposit". Null when neither source charges anything.
 */
export function amountsText(i18n: I18n, v: unknown): string | null {
  if (!v || typeof v !== 'object') return null;
  const a = v as { dueFromDeposit?: unknown; dueFromCard?: unknown };
  const card = moneyText(i18n, a.dueFromCard);
  const deposit = moneyText(i18n, a.dueFromDeposit);
  const parts = [
    ...(card ? [i18n.t('timeline.amounts.card', { amount: card })] : []),
    ...(deposit ? [i18n.t('timeline.amounts.deposit', { amount: deposit })] : []),
  ];
  return parts.length > 0 ? parts.join(' + ') : null;
}

export function ticketErrorText(i18n: I18n, code: string, atlasMessage: string | null): string {
  const key = `ticketError.${code}`;
  if (i18n.exists(key)) return i18n.t(key);
  return i18n.t('ticketError.unknown', { code, message: atlasMessage ?? '' });
}

/** The one-line "why is this order here" shown in the table. */
export function failureReason(i18n: I18n, o: DeskOrder): string {
  if (o.details.errorCode) return ticketErrorText(i18n, o.details.errorCode, o.details.errorMessage);
  if (o.attentionReason) return i18n.t(`attention.${o.attentionReason}`);
  const reason = o.plan.reasons[0];
  // A short phrase fits the table; the full sentence is in the detail panel.
  if (reason && i18n.exists(`shortReason.${reason}`)) return i18n.t(`shortReason.${reason}`);
  if (reason) return i18n.t(`plan.reason.${reason}`);
  return '—';
}

/** Unpaid and ticketing orders have not failed: their reason column gets a neutral title. */
export function reasonTitleKey(scope: Tab | DeskOrder['category']): string {
  return scope === 'unpaid' || scope === 'ticketing' ? 'orders.col.reasonNeutral' : 'orders.col.reason';
}

/** Team mode: another desk's hold on this order's chain — its claim, or a call it left open — in words. */
export function holdText(t: TFunction, hold: TeamHold): string {
  return hold.kind === 'claim' ? t('team.beingRecoveredBy', { staff: hold.staff }) : t('team.openAt', { staff: hold.staff });
}
