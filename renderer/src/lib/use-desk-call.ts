// The one way a component calls main: the last answer, the IPC error (render it with <ErrorNote>),
// whether a call is in flight, retry and cancel. Only the newest call's answer lands: an answer
// that arrives after the component unmounted, after cancel(), or after a newer call started is
// dropped, so a slow answer never overwrites a newer one on screen.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type DependencyList } from 'react';
import type { DeskApi, IpcError, IpcResult } from '../../../shared/ipc.ts';
import { call } from '../desk.ts';

export interface DeskCall<T, A extends unknown[]> {
  /** The last good answer; a later failure keeps it (a failed refresh must not blank the screen). */
  value: T | null;
  /** The last call's failure; cleared when a call starts. */
  error: IpcError | null;
  loading: boolean;
  /** Calls main. Resolves to the result, or to null when its answer was dropped. */
  run(...args: A): Promise<IpcResult<T> | null>;
  /**
   * Runs the call again (for `<ErrorNote onRetry>`), without arguments. Only calls that need none
   * have it: arguments are never kept, since some hold card data that must not outlive the submit.
   */
  retry: [] extends A ? () => Promise<IpcResult<T> | null> : undefined;
  /** Drops the answer of the call in flight (main may still act on it; only the answer is ignored). */
  cancel(): void;
}

export interface DeskCallOptions {
  /** Load at once and again whenever one of these changes; the previous answer in flight is dropped. */
  loadOn?: DependencyList;
  /** While true, `loadOn` does not load (something it needs is not known yet). */
  skip?: boolean;
}

interface State<T> {
  value: T | null;
  error: IpcError | null;
  loading: boolean;
}

export function useDeskCall<T, A extends unknown[] = []>(
  request: (api: DeskApi, ...args: A) => Promise<IpcResult<T>>,
  // Loading by itself calls without arguments: only requests that need none may load.
  options: [] extends A ? DeskCallOptions : never = {} as never,
): DeskCall<T, A> {
  const loads = options.loadOn !== undefined && !options.skip;
  const [state, setState] = useState<State<T>>({ value: null, error: null, loading: loads });
  // The newest request closure (it sees the current props), without making run() change identity.
  const latest = useRef(request);
  useLayoutEffect(() => {
    latest.current = request;
  });
  /** Bumped by every call, cancel and unmount: an answer lands only if nothing bumped it since. */
  const generation = useRef(0);
  const mounted = useRef(false);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      generation.current += 1;
    };
  }, []);

  const run = useCallback(async (...args: A): Promise<IpcResult<T> | null> => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, error: null, loading: true }));
    const result = await call((api) => latest.current(api, ...args));
    if (mine !== generation.current || !mounted.current) return null;
    setState((s) => (result.ok ? { value: result.value, error: null, loading: false } : { value: s.value, error: result.error, loading: false }));
    return result;
  }, []);

  const cancel = useCallback(() => {
    generation.current += 1;
    if (mounted.current) setState((s) => (s.loading ? { ...s, loading: false } : s));
  }, []);

  useEffect(
    () => {
      if (!loads) return;
      void run(...([] as unknown[] as A));
      return cancel;
    },
    // The caller's dependencies, plus whether loading is on.
    [...(options.loadOn ?? []), loads],
  );

  return useMemo(
    () => ({ ...state, run, retry: (() => run(...([] as unknown[] as A))) as DeskCall<T, A>['retry'], cancel }),
    [state, run, cancel],
  );
}
