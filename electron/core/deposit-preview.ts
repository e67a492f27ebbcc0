// What a bulk deposit recovery would cost, for the orders it may touch: which ones is the shared
// rule (shared/recovery-eligibility.ts), so that an intent never even becomes a job for an order
// staff should not bulk-pay.
import { DEPOSIT, type Money } from '../../shared/atlas.ts';
import type { DeskOrder } from '../../shared/desk.ts';
import type { DepositPreview } from '../../shared/ipc.ts';
import type { MethodOffer } from '../../shared/plan.ts';
import { sumMoney } from '../../shared/money.ts';
import { recoveryIneligibility } from '../../shared/recovery-eligibility.ts';
import { DeskError } from './desk-error.ts';

export function offerFor(order: DeskOrder, method: 1 | 3): MethodOffer | undefined {
  return order.plan.methods.find((m) => m.paymentMethod === method);
}

/**
 * recovery:previewDeposit. `orders` are in request order (null = unknown to the desk). `balance`
 * answers null when Atlas cannot be asked (offline): the preview still shows what is due.
 */
export async function previewDeposit(
  orders: readonly { orderNo: string; order: DeskOrder | null }[],
  balance: (currency: string) => Promise<number | null>,
): Promise<DepositPreview> {
  const eligible: string[] = [];
  const ineligible: DepositPreview['ineligible'] = [];
  const dues: Money[] = [];
  const perOrder: DepositPreview['dues'] = [];
  const counts = new Map<string, number>();
  for (const { orderNo, order } of orders) {
    if (eligible.includes(orderNo) || ineligible.some((i) => i.orderNo === orderNo)) continue;
    const reason = recoveryIneligibility(order, DEPOSIT);
    if (reason !== null || !order) {
      ineligible.push({ orderNo, reason: reason ?? 'not_found' });
      continue;
    }
    eligible.push(orderNo);
    const due = offerFor(order, DEPOSIT)?.dueFromDeposit;
    if (due) {
      dues.push(due);
      perOrder.push({ orderNo, dueFromDeposit: due });
      counts.set(due.currency.toUpperCase(), (counts.get(due.currency.toUpperCase()) ?? 0) + 1);
    }
  }
  // Plans offer only amounts held exactly; a total no number holds exactly is refused, not rounded.
  const sums = sumMoney(dues);
  if (!sums) throw new DeskError('invalid_request', 'The amounts due cannot be added up exactly.', 'amount_not_exact');
  const totals = await Promise.all(
    sums.map(async (total) => ({
      currency: total.currency,
      due: total.amount,
      balance: await balance(total.currency),
      orders: counts.get(total.currency) ?? 0,
    })),
  );
  return { totals, eligible, ineligible, dues: perOrder };
}
