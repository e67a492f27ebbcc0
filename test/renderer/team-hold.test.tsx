// Team mode in the window: another desk's hold on an order shows on its row and in its panel, the
// recover button says who is recovering it and cannot be pressed, the timeline says at whose desk
// an event happened, and the Queue lists what the other desks are doing — all from pushes. The
// other desk is the team database's word (test/support/team-view.ts); the core merges it as in team mode.
import { act, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/components/App.tsx';
import { teamView } from '../support/team-view.ts';
import { useHarness } from './harness.tsx';

const ORDER = 'TA2611260010';
const hold = { deskId: 'desk-b', staff: 'Lin Mei', kind: 'claim' as const, since: '2026-11-26T05:59:00Z' };

describe('team mode in the window', () => {
  const h = useHarness();

  for (const [language, words] of [
    ['en', { by: 'Being recovered by Lin Mei', at: 'at Lin Mei’s desk', others: 'Other desks of the team' }],
    ['zh-CN', { by: 'Lin Mei 正在处理', at: '在 Lin Mei 的工作台', others: '团队中的其他工作台' }],
  ] as const) {
    it(`shows another desk's claim and work without a refresh (${language})`, async () => {
      const user = userEvent.setup();
      const team = teamView();
      h.renderUi(<App />, { language, desk: { settings: { language }, team } });
      await screen.findByTestId(`row-${ORDER}`);
      // Lin Mei's desk claims the order's chain and asks to recover it with deposit.
      team.addEvent({ id: -7, orderNo: ORDER, at: '2026-11-26T05:59:30Z', kind: 'intent', actor: 'Lin Mei', osAccount: 'lin', data: { paymentMethod: 1 }, desk: 'Lin Mei' });
      act(() => team.holdChain([ORDER], hold));
      expect((await screen.findByTestId(`claimed-${ORDER}`)).textContent).toBe(words.by);

      await user.click(screen.getByTestId(`row-${ORDER}`));
      const detail = await screen.findByTestId('order-detail');
      const recover = within(detail).getByTestId('detail-recover') as HTMLButtonElement;
      expect(recover.disabled).toBe(true);
      expect(recover.textContent).toBe(words.by);
      expect(within(detail).getByTestId('claimed-by').textContent).toContain('Lin Mei');
      expect((await within(detail).findByTestId('event-desk--7')).textContent).toBe(words.at);

      await user.click(screen.getByTestId('nav-queue'));
      const others = await screen.findByTestId('team-holds');
      expect(others.textContent).toContain(words.others);
      expect(within(others).getByTestId(`hold-${ORDER}`).textContent).toContain(words.by);
    });
  }

  for (const [language, words] of [
    ['en', { offline: 'The team database cannot be reached.', why: 'The CA file named by sslrootcert cannot be read' }],
    ['zh-CN', { offline: '无法连接团队数据库。', why: '无法在本机读取 sslrootcert 指定的 CA 文件' }],
  ] as const) {
    it(`says why the team database is not connected (${language})`, async () => {
      const user = userEvent.setup();
      const team = teamView();
      h.renderUi(<App />, { language, desk: { settings: { language }, team } });
      await user.click(await screen.findByTestId('nav-queue'));
      await screen.findByTestId('team-holds');
      expect(screen.queryByTestId('team-offline')).toBeNull();
      act(() => team.lose('ca_unreadable'));
      const offline = await screen.findByTestId('team-offline');
      expect(offline.textContent).toContain(words.offline);
      expect(offline.textContent).toContain(words.why);
    });
  }

  it('shows nothing of the team for a desk on its own', async () => {
    const user = userEvent.setup();
    h.renderUi(<App />);
    await screen.findByTestId(`row-${ORDER}`);
    expect(screen.queryByTestId(`claimed-${ORDER}`)).toBeNull();
    await user.click(screen.getByTestId('nav-queue'));
    await screen.findByTestId('queue-screen');
    expect(screen.queryByTestId('team-holds')).toBeNull();
  });
});
