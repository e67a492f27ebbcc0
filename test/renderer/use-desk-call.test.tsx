// useDeskCall: loading, the IPC error shown by ErrorNote, retry, and answers that must not land —
// after unmount, after cancel(), or after a newer call (answers come back out of order here).
import { act, cleanup, render, renderHook, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import type { DeskApi, IpcResult } from '../../shared/ipc.ts';
import { ErrorNote } from '../../renderer/src/components/ErrorNote.tsx';
import { setDesk } from '../../renderer/src/desk.ts';
import { createI18n } from '../../renderer/src/i18n.ts';
import { useDeskCall } from '../../renderer/src/lib/use-desk-call.ts';

type Diagnostics = IpcResult<{ text: string }>;

/** A desk whose env:diagnostics answers only when the test says so, in any order. */
function manualDesk() {
  const pending: ((r: Diagnostics) => void)[] = [];
  const api = {
    env: { diagnostics: () => new Promise<Diagnostics>((resolve) => pending.push(resolve)) },
  } as unknown as DeskApi;
  setDesk(api);
  return {
    pending,
    /** Answers call number `i` (0 = first). */
    answer: async (i: number, r: Diagnostics) => {
      await act(async () => pending[i]?.(r));
    },
  };
}

const ok = (text: string): Diagnostics => ({ ok: true, value: { text } });
const fail = (): Diagnostics => ({ ok: false, error: { code: 'offline', message: 'connect ENETUNREACH' } });

afterEach(() => {
  cleanup();
  setDesk(null);
});

describe('useDeskCall', () => {
  it('is loading until main answers, then holds the value', async () => {
    const desk = manualDesk();
    const { result } = renderHook(() => useDeskCall((d) => d.env.diagnostics({}), { loadOn: [] }));
    expect(result.current.loading).toBe(true);
    expect(result.current.value).toBeNull();
    await desk.answer(0, ok('first'));
    expect(result.current).toMatchObject({ loading: false, value: { text: 'first' }, error: null });
  });

  it('keeps the last good value when a later call fails, and shows the IPC error', async () => {
    const desk = manualDesk();
    const { result } = renderHook(() => useDeskCall((d) => d.env.diagnostics({})));
    void act(() => void result.current.run());
    await desk.answer(0, ok('good'));
    void act(() => void result.current.run());
    expect(result.current.loading).toBe(true);
    await desk.answer(1, fail());
    expect(result.current.value).toEqual({ text: 'good' });
    expect(result.current.error).toEqual({ code: 'offline', message: 'connect ENETUNREACH' });
  });

  it('turns a thrown bridge error into an internal IPC error', async () => {
    setDesk({ env: { diagnostics: () => Promise.reject(new Error('IPC torn down')) } } as unknown as DeskApi);
    const { result } = renderHook(() => useDeskCall((d) => d.env.diagnostics({})));
    let r: IpcResult<unknown> | null = null;
    await act(async () => {
      r = await result.current.run();
    });
    expect(r).toEqual({ ok: false, error: { code: 'internal', message: 'IPC torn down' } });
    expect(result.current.error?.code).toBe('internal');
  });

  it('shows the error through ErrorNote, and Retry calls again', async () => {
    const user = userEvent.setup();
    const desk = manualDesk();
    function Diagnostics() {
      const diag = useDeskCall((d) => d.env.diagnostics({}), { loadOn: [] });
      return (
        <>
          <ErrorNote error={diag.error} onRetry={diag.retry} />
          <p data-testid="text">{diag.loading ? 'loading' : (diag.value?.text ?? '')}</p>
        </>
      );
    }
    render(<I18nextProvider i18n={createI18n('en')}><Diagnostics /></I18nextProvider>);
    await desk.answer(0, fail());
    expect(screen.getByTestId('error-offline').textContent).toMatch(/You are offline/);
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(desk.pending).toHaveLength(2);
    expect(screen.queryByTestId('error-offline')).toBeNull();
    expect(screen.getByTestId('text').textContent).toBe('loading');
    await desk.answer(1, ok('second time lucky'));
    expect(screen.getByTestId('text').textContent).toBe('second time lucky');
  });

  it('drops an answer that arrives after unmount', async () => {
    const desk = manualDesk();
    const { result, unmount } = renderHook(() => useDeskCall((d) => d.env.diagnostics({})));
    let answer: Promise<IpcResult<{ text: string }> | null> = Promise.resolve(null);
    act(() => {
      answer = result.current.run();
    });
    const before = result.current;
    unmount();
    await desk.answer(0, ok('too late'));
    expect(await answer).toBeNull();
    expect(result.current).toBe(before);
    expect(result.current.value).toBeNull();
  });

  it('lets only the newest call land when answers come back out of order', async () => {
    const desk = manualDesk();
    const { result } = renderHook(() => useDeskCall((d) => d.env.diagnostics({})));
    const answers: Promise<unknown>[] = [];
    act(() => void answers.push(result.current.run()));
    act(() => void answers.push(result.current.run()));
    await desk.answer(1, ok('newer'));
    await desk.answer(0, ok('older'));
    expect(result.current.value).toEqual({ text: 'newer' });
    expect(await answers[0]).toBeNull();
    expect(await answers[1]).toEqual(ok('newer'));
  });

  it('loads again when a dependency changes and drops the previous answer', async () => {
    const desk = manualDesk();
    const { result, rerender } = renderHook(({ id }) => useDeskCall((d) => d.env.diagnostics({}), { loadOn: [id] }), { initialProps: { id: 'a' } });
    rerender({ id: 'b' });
    expect(desk.pending).toHaveLength(2);
    await desk.answer(1, ok('for b'));
    await desk.answer(0, ok('for a'));
    expect(result.current.value).toEqual({ text: 'for b' });
  });

  it('does not load while skip is set, and loads once it is cleared', async () => {
    const desk = manualDesk();
    const { result, rerender } = renderHook(({ skip }) => useDeskCall((d) => d.env.diagnostics({}), { loadOn: [], skip }), { initialProps: { skip: true } });
    expect(desk.pending).toHaveLength(0);
    expect(result.current.loading).toBe(false);
    rerender({ skip: false });
    expect(desk.pending).toHaveLength(1);
    await desk.answer(0, ok('now'));
    expect(result.current.value).toEqual({ text: 'now' });
  });

  it('cancel() drops the answer in flight and stops loading', async () => {
    const desk = manualDesk();
    const { result } = renderHook(() => useDeskCall((d) => d.env.diagnostics({})));
    let answer: Promise<unknown> = Promise.resolve();
    act(() => {
      answer = result.current.run();
    });
    act(() => result.current.cancel());
    expect(result.current.loading).toBe(false);
    await desk.answer(0, ok('unwanted'));
    expect(await answer).toBeNull();
    expect(result.current.value).toBeNull();
  });

  it('passes arguments to the request without keeping them (no retry for such calls)', async () => {
    const seen: string[] = [];
    setDesk({ orders: { show: (req: { orderNo: string }) => (seen.push(req.orderNo), Promise.resolve({ ok: false, error: { code: 'not_found', message: 'x' } })) } } as unknown as DeskApi);
    const { result } = renderHook(() => useDeskCall((d, orderNo: string) => d.orders.show({ orderNo })));
    await act(async () => void (await result.current.run('TA2611260001')));
    expect(seen).toEqual(['TA2611260001']);
    expectTypeOf(result.current.retry).toEqualTypeOf<undefined>();
  });
});
