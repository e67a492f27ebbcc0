// Quitting never cuts a payment in half silently (DESIGN.md §2.2/§2.5): while pay.do or
// regenerateOrder.do is on the wire the user is asked first, and the core is always given a
// bounded time to finish in-flight steps before the process exits.

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

export const QUIT_DURING_PAYMENT_DIALOG = {
  type: 'warning' as const,
  buttons: ['Keep the desk open', 'Quit anyway'],
  defaultId: 0,
  cancelId: 0,
  noLink: true,
  title: 'Payment in progress',
  message: 'A payment is being sent to Atlas right now.',
  detail:
    'If you quit now its outcome may be unknown. The desk will check the order with Atlas (never pay again blindly) the next time it starts.',
};
