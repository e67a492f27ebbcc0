// Shell: banners, navigation, the current screen, the global dialogs and the global shortcuts (`?`, g + letter).
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { SETTLED_JOB_STATES } from '../../../shared/desk.ts';
import { pickLanguage } from '../i18n.ts';
import { useShortcuts } from '../lib/shortcuts.ts';
import { connectDesk } from '../stores/connect.ts';
import { useEnv } from '../stores/env.ts';
import { useOrders } from '../stores/orders.ts';
import { useQueue } from '../stores/queue.ts';
import { useUi, type Screen } from '../stores/ui.ts';
import { AddOrdersDialog } from './AddOrdersDialog.tsx';
import { ApproveDialog } from './ApproveDialog.tsx';
import { Banners } from './Banners.tsx';
import { BulkDepositDialog } from './BulkDepositDialog.tsx';
import { HistoryScreen } from './HistoryScreen.tsx';
import { OrdersScreen } from './OrdersScreen.tsx';
import { QueueScreen } from './QueueScreen.tsx';
import { RecoverDialog } from './RecoverDialog.tsx';
import { ReportsScreen } from './ReportsScreen.tsx';
import { SettingsScreen } from './SettingsScreen.tsx';
import { ShortcutsOverlay } from './ShortcutsOverlay.tsx';

const SCREENS: Screen[] = ['orders', 'queue', 'history', 'reports', 'settings'];

function Nav() {
  const { t } = useTranslation();
  const screen = useUi((s) => s.screen);
  const setScreen = useUi((s) => s.setScreen);
  const info = useEnv((s) => s.info);
  const active = useQueue((s) => s.jobs.filter((j) => !SETTLED_JOB_STATES.includes(j.state)).length);
  // Jobs that wait for staff (a card, an approval) make the count stand out.
  const needsCard = useQueue((s) => s.jobs.some((j) => j.state === 'needs_card' || j.state === 'needs_approval'));
  return (
    <nav className="nav" aria-label={t('nav.label')}>
      <span className="brand-name">{t('app.title')}</span>
      {SCREENS.map((s) => (
        <button key={s} type="button" className={screen === s ? 'nav-item active' : 'nav-item'} aria-current={screen === s ? 'page' : undefined} onClick={() => setScreen(s)} data-testid={`nav-${s}`}>
          {t(`nav.${s}`)}
          {s === 'queue' && active > 0 && <span className={needsCard ? 'pill alert' : 'pill'} data-testid="queue-active-count">{active}</span>}
        </button>
      ))}
      <span className="spacer" />
      {info && <span className={`env-chip env-${info.environment}`} data-testid="env-chip">{t(`env.${info.environment}`)}</span>}
      <button type="button" className="icon" aria-label={t('shortcuts.title')} onClick={() => useUi.getState().openDialog('shortcuts')} data-testid="help">?</button>
    </nav>
  );
}

function Dialogs() {
  const dialog = useUi((s) => s.dialog);
  const recoverFor = useUi((s) => s.recoverFor);
  const orders = useOrders((s) => s.orders);
  const selected = useUi((s) => s.selected);
  const approveJobs = useUi((s) => s.approveJobs);
  const close = () => useUi.getState().openDialog(null);
  switch (dialog) {
    case 'add': return <AddOrdersDialog onClose={close} />;
    // Keyed by order: the dialog keeps its own copy, so it stays when the order leaves the list.
    case 'recover': return recoverFor ? <RecoverDialog key={recoverFor} orderNo={recoverFor} initial={orders.find((o) => o.orderNo === recoverFor)} onClose={close} /> : null;
    case 'bulk': return <BulkDepositDialog orders={orders} selected={selected} onClose={close} onStarted={() => useUi.getState().setSelected(new Set(), null)} />;
    case 'approve': return <ApproveDialog jobIds={approveJobs} onClose={close} />;
    case 'shortcuts': return <ShortcutsOverlay onClose={close} />;
    default: return null;
  }
}

export function App() {
  const { i18n } = useTranslation();
  const screen = useUi((s) => s.screen);
  const languageSetting = useEnv((s) => s.settings?.language ?? null);

  useEffect(() => connectDesk(), []);
  useEffect(() => {
    const timer = setInterval(() => useUi.getState().tick(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  // Follows the saved setting (settings:update stores it in useEnv); "auto" follows the OS language.
  useEffect(() => {
    const lang = pickLanguage(languageSetting, navigator.language);
    if (i18n.language !== lang) void i18n.changeLanguage(lang);
    document.documentElement.lang = lang;
  }, [i18n, languageSetting]);

  const go = (to: Screen) => () => useUi.getState().setScreen(to);
  useShortcuts('global', {
    help: () => useUi.getState().openDialog('shortcuts'),
    goOrders: go('orders'),
    goQueue: go('queue'),
    goHistory: go('history'),
    goSettings: go('settings'),
    goReports: go('reports'),
  });

  return (
    <div className="app">
      <Banners />
      <Nav />
      <main className="main">
        {screen === 'orders' && <OrdersScreen />}
        {screen === 'queue' && <QueueScreen />}
        {screen === 'history' && <HistoryScreen />}
        {screen === 'reports' && <ReportsScreen />}
        {screen === 'settings' && <SettingsScreen />}
      </main>
      <Dialogs />
    </div>
  );
}
