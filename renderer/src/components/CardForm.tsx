// VCC card form. Card data lives ONLY in this component's state (never a store, never storage), is
// dropped when the form unmounts, and PAN/CVV are wiped right after every submit
// (docs/money-safety.md rule 6).
import { useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CardDetails } from '../../../shared/atlas.ts';
import {
  CARD_BRAND_LABEL,
  HOLDER_FIELD_KEY,
  PAYMENT_LIMIT_MARGIN_PERCENT,
  REGENERATE_PAYMENT_LIMIT_MARGIN_PERCENT,
  cvvLength,
  detectBrand,
  requiredHolderFieldsFor,
  suggestPaymentLimit,
  validateCard,
  type CardField,
  type HolderField,
} from '../../../shared/card.ts';
import type { IpcError } from '../../../shared/ipc.ts';
import { currencyDigits } from '../../../shared/money.ts';
import { blankCardFields, toCardDetails, type CardFields } from '../lib/card-fields.ts';
import { cardEnvironment, useEnv } from '../stores/env.ts';
import { ErrorNote } from './ErrorNote.tsx';

export interface CardFormProps {
  airlines: readonly string[];
  /** Amount the airline will charge, in its own (vendor) currency, for the paymentLimit hint. */
  vendorAmount: number | null;
  vendorCurrency: string | null;
  /**
   * The order is regenerated before it is paid: regeneration re-prices at today's fare, so the
   * suggested paymentLimit leaves a wider margin above the (old) amount.
   */
  repriced?: boolean;
  /** Put the suggested limit in the field (default), or only show it as a hint. */
  prefillLimit?: boolean;
  /** Why the card is asked for (e.g. the last card's limit was below the new fare). */
  reason?: string | null;
  submitLabel: string;
  /** Resolves to null on success, or the error to show. */
  onSubmit(card: CardDetails): Promise<IpcError | null>;
  onCancel(): void;
  now?: () => string;
}

export function CardForm(props: CardFormProps) {
  const { t } = useTranslation();
  const id = useId();
  const margin = props.repriced ? REGENERATE_PAYMENT_LIMIT_MARGIN_PERCENT : PAYMENT_LIMIT_MARGIN_PERCENT;
  const suggested = props.vendorAmount !== null && props.vendorCurrency ? suggestPaymentLimit(props.vendorAmount, props.vendorCurrency, margin) : null;
  const prefill = props.prefillLimit === false ? null : suggested;
  const [form, setForm] = useState<CardFields>(() => blankCardFields(prefill));
  const [showErrors, setShowErrors] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const environment = useEnv((s) => cardEnvironment(s.info));
  const brand = detectBrand(form.cardNumber);
  const isF9 = props.airlines.some((a) => a.toUpperCase() === 'F9');
  const usAddress = form.cardHolderCountry.trim().toUpperCase() === 'US';
  const required = useMemo(() => requiredHolderFieldsFor(props.airlines, { usAddress }), [props.airlines, usAddress]);
  // F9 needs an address only for US cards: always offer the country so staff can say so.
  const holderFields = isF9 && !required.includes('country') ? (['country', ...required] as HolderField[]) : required;

  const card = toCardDetails(form, holderFields);
  const validation = validateCard(card, {
    now: (props.now ?? (() => new Date().toISOString()))(),
    environment,
    airlines: props.airlines,
    limitCurrency: props.vendorCurrency,
  });
  const errors: Partial<Record<CardField, string>> = validation.ok ? {} : validation.errors;

  const set = (k: keyof CardFields) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setForm((f) => ({ ...f, [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value }));

  const field = (k: keyof CardFields & CardField, label: string, extra: React.InputHTMLAttributes<HTMLInputElement> = {}, required = true) => {
    const err = showErrors ? errors[k] : undefined;
    const errId = `${id}-${k}-err`;
    return (
      <label className={`field f-${k}`}>
        <span>{label}{required && <span aria-hidden="true"> *</span>}</span>
        <input
          name={k}
          value={form[k] as string}
          onChange={set(k)}
          aria-label={label}
          aria-invalid={err ? true : undefined}
          aria-describedby={err ? errId : undefined}
          aria-required={required}
          autoComplete="off"
          spellCheck={false}
          data-testid={`card-${k}`}
          {...extra}
        />
        {err && <span id={errId} className="field-error" data-testid={`card-error-${k}`}>{t(`card.error.${err}`, { digits: cvvLength(brand), currency: props.vendorCurrency ?? '', places: currencyDigits(props.vendorCurrency ?? '') })}</span>}
      </label>
    );
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setShowErrors(true);
    setNotice(null);
    if (!validation.ok || busy) return;
    setBusy(true);
    setError(null);
    const failure = await props.onSubmit(card);
    setBusy(false);
    if (failure) {
      // Keep names and address; the PAN and CVV are never kept after a submit, even a failed one.
      setForm((f) => ({ ...f, cardNumber: '', cardCVV: '' }));
      setShowErrors(false);
      setError(failure);
      setNotice(t('card.reenter'));
    } else {
      setForm(blankCardFields(prefill));
      setShowErrors(false);
    }
  };

  return (
    <form className="card-form" onSubmit={(e) => void submit(e)} noValidate autoComplete="off" data-testid="card-form">
      {props.reason && <p className="note" role="status" data-testid="card-reason">{props.reason}</p>}
      <div className="row">
        {field('cardNumber', t('card.number'), { inputMode: 'numeric', maxLength: 23, 'data-autofocus': true } as React.InputHTMLAttributes<HTMLInputElement>)}
        <span className="brand" data-testid="card-brand" aria-live="polite">{brand ? CARD_BRAND_LABEL[brand] : ''}</span>
      </div>
      <div className="row">
        {field('cardExpireMonth', t('card.expMonth'), { inputMode: 'numeric', maxLength: 2, placeholder: 'MM' })}
        {field('cardExpireYear', t('card.expYear'), { inputMode: 'numeric', maxLength: 4, placeholder: 'YYYY' })}
        {field('cardCVV', t('card.cvv'), { inputMode: 'numeric', maxLength: 4, type: 'password' })}
      </div>
      <div className="row">
        {field('cardHolderFirstName', t('card.firstName'))}
        {field('cardHolderLastName', t('card.lastName'))}
      </div>
      {holderFields.length > 0 && (
        <fieldset className="holder" data-testid="holder-fields">
          <legend>{t('card.holderAddress', { airlines: props.airlines.join(', ') })}</legend>
          <div className="row wrap">
            {holderFields.map((h) => (
              <span key={h} className="cell">
                {field(HOLDER_FIELD_KEY[h] as keyof CardFields & CardField, t(`card.holder.${h}`), h === 'country' ? { maxLength: 2, placeholder: 'US' } : {}, required.includes(h))}
              </span>
            ))}
          </div>
        </fieldset>
      )}
      <div className="row">
        {field('paymentLimit', t('card.paymentLimit', { currency: props.vendorCurrency ?? '' }), { inputMode: 'decimal' }, false)}
        {suggested !== null && (
          <span className="hint muted" data-testid="limit-hint">
            {t(props.repriced ? 'card.limitHintRepriced' : 'card.limitHint', { amount: suggested, currency: props.vendorCurrency ?? '', margin })}
          </span>
        )}
      </div>
      <label className="check">
        <input type="checkbox" checked={form.reusable} onChange={set('reusable')} aria-label={t('card.reusable')} />
        {t('card.reusable')}
      </label>
      {notice && <p className="warn-text" role="status">{notice}</p>}
      <ErrorNote error={error} />
      <div className="actions">
        <button type="button" onClick={props.onCancel}>{t('common.cancel')}</button>
        <button type="submit" className="primary" disabled={busy} data-testid="card-submit">
          {busy ? t('common.working') : props.submitLabel}
        </button>
      </div>
    </form>
  );
}
