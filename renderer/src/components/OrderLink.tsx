// An order number that opens that order's detail panel (from any screen).
import { useUi } from '../stores/ui.ts';

export function OrderLink({ orderNo, testId }: { orderNo: string; testId?: string }) {
  const open = () => {
    const ui = useUi.getState();
    if (ui.screen !== 'orders') ui.setScreen('orders');
    ui.openDetail(orderNo);
  };
  return (
    <button type="button" className="link mono" onClick={open} data-testid={testId ?? `link-${orderNo}`}>
      {orderNo}
    </button>
  );
}
