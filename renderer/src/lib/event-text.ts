// An audit-trail event as a sentence in the staff's language, with the useful facts in words
// (method names, amounts, code meanings) and related orders as links; internal ids (job ids) are
// never shown.
import type { i18n as I18n } from 'i18next';
import type { TimelineEvent } from '../../../shared/desk.ts';
import { amountsText, codeText, ticketErrorText } from './explain.ts';
import { formatMoney } from './format.ts';

export interface EventText {
  /** The sentence. */
  text: string;
  /** A second, quieter line with supporting facts. */
  detail: string | null;
  /** Related orders, shown as links after the sentence. */
  links: string[];
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' ? String(v) : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : []);

function money(v: unknown, i18n: I18n): string | null {
  if (!v || typeof v !== 'object') return null;
  const m = v as { amount?: unknown; currency?: unknown };
  return typeof m.amount === 'number' && typeof m.currency === 'string' ? formatMoney(m.amount, m.currency, i18n.language) : null;
}

function methodName(data: Record<string, unknown>, i18n: I18n): string | null {
  const m = data.paymentMethod ?? data.method;
  if (typeof m !== 'number') return null;
  const key = `method.${m}`;
  return i18n.exists(key) ? i18n.t(key) : i18n.t('timeline.methodCode', { code: m });
}

function statusName(status: unknown, i18n: I18n): string | null {
  const s = str(status);
  if (!s) return null;
  return i18n.exists(`orderStatus.${s}`) ? i18n.t(`orderStatus.${s}`) : s;
}

function errorName(code: unknown, i18n: I18n): string | null {
  const c = str(code);
  return c ? `${c} ${ticketErrorText(i18n, c, null)}` : null;
}

/** One line per source whose amount went above the approval: both amounts, each with its currency. */
function priceChanges(v: unknown, i18n: I18n): string | null {
  if (!Array.isArray(v)) return null;
  const lines = v.flatMap((c: unknown) => {
    if (!c || typeof c !== 'object') return [];
    const change = c as { source?: unknown; approved?: unknown; due?: unknown };
    const due = money(change.due, i18n);
    if (!due || (change.source !== 'deposit' && change.source !== 'card')) return [];
    const approved = money(change.approved, i18n) ?? i18n.t('timeline.nothingApproved');
    return [i18n.t('timeline.change', { part: i18n.t(`timeline.part.${change.source}`), approved, due })];
  });
  return lines.length > 0 ? lines.join(' · ') : null;
}

/** Why a pay/regenerate step failed, from its `kind` and Atlas status `code`. */
function stepFailure(step: string, data: Record<string, unknown>, i18n: I18n): string {
  const kind = str(data.kind);
  if (kind === 'unauthorized') return codeText(i18n, 'unauthorized');
  if (kind === 'network') return codeText(i18n, 'offline');
  if (kind === 'rate_limited') return codeText(i18n, 'rate_limited');
  return codeText(i18n, `${step === 'regenerate' ? 'regenerate' : 'pay'}_rejected_${str(data.code) ?? '?'}`);
}

export function describeEvent(e: TimelineEvent, i18n: I18n): EventText {
  const t = i18n.t.bind(i18n);
  const d = e.data;
  const step = str(d.step) === 'regenerate' ? 'regenerate' : 'pay';
  const method = methodName(d, i18n);
  const out = (text: string, detail: string | null = null, links: string[] = []): EventText => ({ text, detail, links });
  switch (e.kind) {
    case 'seen': {
      const source = str(d.source);
      const text = source && i18n.exists(`timeline.source.${source}`) ? t('timeline.seenVia', { source: t(`timeline.source.${source}`) }) : t('timeline.seen');
      const facts = [statusName(d.orderStatus, i18n), errorName(d.errorCode, i18n)].filter(Boolean).join(' · ');
      return out(text, facts || null);
    }
    case 'status_changed': {
      const from = statusName(d.from, i18n);
      const to = statusName(d.to ?? d.orderStatus, i18n);
      const text = from && to ? t('timeline.statusFromTo', { from, to }) : to ? t('timeline.statusTo', { to }) : t('event.status_changed');
      return out(text, errorName(d.errorCode, i18n));
    }
    case 'webhook_hint':
      return out(t('timeline.webhookHint'));
    case 'marked_failed': {
      const from = str(d.from);
      if (str(d.reason) === 'regenerated_by_desk' && from) return out(t('timeline.markedFailedRegenerated'), null, [from]);
      return out(t('timeline.markedFailed'));
    }
    case 'intent': {
      const approved = amountsText(i18n, d.approved);
      const facts = [str(d.card) ? t('timeline.card', { mask: str(d.card) }) : null, approved ? t('timeline.intentApproved', { amounts: approved }) : null];
      return out(method ? t('timeline.intent', { method }) : t('event.intent'), facts.filter(Boolean).join(' · ') || null);
    }
    case 'step_started':
      if (step === 'regenerate') return out(t('timeline.regenerateStarted'));
      return out(method ? t('timeline.payStarted', { method }) : t('timeline.payStartedPlain'), str(d.card) ? t('timeline.card', { mask: str(d.card) }) : null);
    case 'step_succeeded':
      if (step === 'regenerate') return out(t('timeline.regenerateSucceeded'));
      return out(method ? t('timeline.paySucceeded', { method }) : t('timeline.paySucceededPlain'));
    case 'step_failed': {
      const dups = strings(d.duplicateOrders);
      const failure = stepFailure(step, d, i18n);
      return dups.length ? out(`${failure} — ${t('timeline.duplicates')}`, null, dups) : out(failure);
    }
    case 'step_unknown':
      return out(t(step === 'regenerate' ? 'timeline.regenerateUnknown' : 'timeline.payUnknown'));
    case 'reconciled': {
      if (step === 'regenerate') {
        const twins = strings(d.twins);
        const candidates = strings(d.candidates);
        if (candidates.length) return out(t('timeline.reconciledCandidates'), null, candidates);
        return twins.length ? out(t('timeline.reconciledTwin'), null, twins) : out(t('timeline.reconciledNoTwin'));
      }
      return out(t(d.paid === true ? 'timeline.reconciledPaid' : 'timeline.reconciledNotPaid'), statusName(d.orderStatus, i18n));
    }
    case 'regenerated': {
      const n = str(d.newOrderNo);
      return out(t(d.reconciled === true ? 'timeline.regeneratedFound' : 'timeline.regenerated'), null, n ? [n] : []);
    }
    case 'ticketed':
      return out(t('timeline.ticketed'));
    case 'cancelled':
      return out(t('timeline.cancelled'), errorName(d.errorCode, i18n));
    case 'job_cancelled':
      return out(t(str(d.replacedBy) ? 'timeline.replacedByCard' : 'timeline.jobCancelled'));
    case 'approved': {
      const amounts = amountsText(i18n, d.approved);
      return out(amounts ? t('timeline.approved', { amounts }) : t('event.approved'));
    }
    case 'card_not_charged':
      return out(t('timeline.cardNotCharged'));
    case 'note': {
      const reason = str(d.reason);
      const due = money(d.due, i18n);
      const balance = money(d.balance, i18n);
      const reserved = money(d.reserved, i18n);
      // Short only because of what this desk holds for its other payments (a card job's fee too).
      const short = reason === 'deposit_below_due' || reason === 'deposit_below_fee';
      if (short && due && balance && reserved) return out(t('timeline.depositHeld', { due, balance, reserved }));
      if (reason === 'deposit_below_due' && due && balance) return out(t('timeline.depositBelowDue', { due, balance }));
      if (reason === 'deposit_below_fee' && due && balance) return out(t('timeline.depositBelowFee', { due, balance }));
      if (reason === 'price_changed') {
        const text = t(str(d.before) === 'regenerate' ? 'timeline.priceChangedBeforeRegenerate' : 'timeline.priceChanged');
        return out(text, priceChanges(d.changes, i18n));
      }
      if (reason === 'approval_expired') return out(t('timeline.approvalExpired'));
      if (reason === 'card_charge_unconfirmed') return out(t('timeline.chargeUnconfirmed'));
      if (reason === 'payment_not_shown') return out(t('timeline.paymentNotShown'));
      if (reason === 'balance_currency_mismatch') {
        return out(t('timeline.balanceCurrency', { asked: str(d.asked) ?? '?', answered: str(d.answered) ?? t('timeline.noCurrency') }));
      }
      if (reason === 'look_alikes_found') return out(t('timeline.lookAlikes'), null, strings(d.duplicateOrders));
      if (reason === 'look_alike_unverifiable') {
        const missing = strings(d.missing).map((f) => (i18n.exists(`timeline.fact.${f}`) ? t(`timeline.fact.${f}`) : f));
        return out(t('timeline.lookAlikeUnverifiable'), missing.length ? t('timeline.lookAlikeMissing', { missing: missing.join(', ') }) : null, strings(d.candidates));
      }
      return out(reason ? codeText(i18n, reason) : t('event.note'));
    }
  }
}
