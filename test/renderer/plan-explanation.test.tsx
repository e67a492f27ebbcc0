import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Plan, PlanAction } from '../../shared/plan.ts';
import { PlanExplanation } from '../../renderer/src/components/PlanExplanation.tsx';
import { useHarness } from './harness.tsx';

const plan = (action: PlanAction, over: Partial<Plan> = {}): Plan => ({ action, methods: [], deadline: null, payOrderNo: null, reasons: [], warnings: [], ...over });

describe('plan explanation', () => {
  const h = useHarness();

  it.each<[PlanAction, RegExp, RegExp]>([
    ['pay_same_order', /Pay this same order again/, /再次支付同一订单/],
    ['regenerate_then_pay', /Regenerate the order first.*then pay the new order/, /先重新生成订单/],
    ['wait_ticketing', /Do not pay again/, /切勿再次支付/],
    ['reconcile_first', /Check with Atlas first/, /请先向 Atlas 核实/],
    ['no_action', /Nothing to do/, /无需处理/],
    ['blocked', /A person must decide/, /需要人工决定/],
  ])('%s reads as a plain sentence in English and Chinese', (action, enText, zhText) => {
    const { unmount } = h.renderUi(<PlanExplanation plan={plan(action)} />);
    expect(screen.getByTestId('plan-action').textContent).toMatch(enText);
    unmount();
    h.renderUi(<PlanExplanation plan={plan(action)} />, { language: 'zh-CN' });
    expect(screen.getByTestId('plan-action').textContent).toMatch(zhText);
  });

  it('gives one sentence per reason and per warning', () => {
    h.renderUi(
      <PlanExplanation plan={plan('regenerate_then_pay', { reasons: ['airline_payment_rejected'], warnings: ['regeneration_window_closing', 'price_may_change'] })} />,
    );
    expect(screen.getByRole('list', { name: 'Reasons' }).textContent).toMatch(/airline rejected it/);
    const warnings = screen.getByRole('list', { name: 'Warnings' });
    expect(warnings.querySelectorAll('li')).toHaveLength(2);
    expect(warnings.textContent).toMatch(/Less than 2 hours left to regenerate/);
    expect(warnings.textContent).toMatch(/amount may change/);
  });

  it('warns never to pay again when paid and the PNR is pending (615)', () => {
    h.renderUi(<PlanExplanation plan={plan('no_action', { reasons: ['paid_pnr_pending'] })} />);
    expect(screen.getByText(/Never pay again/)).toBeTruthy();
  });
});
