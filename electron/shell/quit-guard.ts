// Quitting never cuts a payment in half silently (docs/money-safety.md rules 2 and 5): while pay.do
// or regenerateOrder.do is on the wire the user is asked first, and the core is always given a
// bounded time to finish in-flight steps before the process exits.
import type { Language } from '../../shared/ipc.ts';
import { notificationText } from '../../shared/notification-text.ts';

export interface PreventableEvent {
  preventDefault(): void;
}

export interface QuitGuardOptions {
  paymentInFlight: () => boolean;
  /** Shows the dialog; resolves true for "quit anyway". */
  confirmQuitDuringPayment: () => Promise<boolean>;
  /** Stops the core (it waits for in-flight steps itself, bounded). */
  stopCore: () => Promise<void>;
  /** Upper bound on the whole shutdown, in case stopCore misbehaves. */
  timeoutMs?: number;
  /** Runs after the core stopped (simulator, updater install, …). */
  afterStop?: () => Promise<void> | void;
  /** app.quit(), called once the guard is satisfied. */
  quit: () => void;
  log?: (line: string) => void;
}

export function createQuitGuard(options: QuitGuardOptions) {
  let state: 'running' | 'stopping' | 'ready' = 'running';
  return {
    /** Wire to app.on('before-quit'). */
    onBeforeQuit(event: PreventableEvent): void {
      if (state === 'ready') return;
      event.preventDefault();
      if (state === 'stopping') return;
      state = 'stopping';
      void (async () => {
        try {
          if (options.paymentInFlight() && !(await options.confirmQuitDuringPayment())) {
            state = 'running';
            return;
          }
          const limit = options.timeoutMs ?? 20_000;
          await Promise.race([options.stopCore(), new Promise<void>((resolve) => setTimeout(resolve, limit).unref?.())]);
          await options.afterStop?.();
        } catch (error) {
          options.log?.(`quit: shutdown error ${(error as Error).message}`);
        }
        state = 'ready';
        options.quit();
      })();
    },
    state: () => state,
  };
}

/** The question asked when staff quit while a pay/regenerate call is on the wire, in their language. */
export function quitDuringPaymentDialog(language: Language) {
  const text = (kind: 'quitTitle' | 'quitMessage' | 'quitDetail' | 'quitKeepOpen' | 'quitAnyway') => notificationText(language, kind, {});
  return {
    type: 'warning' as const,
    // Index 0 keeps the desk open: the safe answer is the default and what Esc picks.
    buttons: [text('quitKeepOpen'), text('quitAnyway')],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
    title: text('quitTitle'),
    message: text('quitMessage'),
    detail: text('quitDetail'),
  };
}
