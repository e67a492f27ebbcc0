// Exit codes and the one error type the CLI turns into "bad usage" (documented in the top-level README).

export const EXIT = {
  /** Every order recovered (or the command simply succeeded). */
  ok: 0,
  /** Some orders were not recovered / not found / the sync stopped early. */
  partial: 1,
  /** Bad usage or configuration: nothing was done. */
  usage: 2,
  /** `recover`: every order is paid, but Atlas has not issued every ticket yet (not a failure; check later). */
  ticketPending: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Bad arguments, environment or input: one line on stderr, exit 2, never a stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
