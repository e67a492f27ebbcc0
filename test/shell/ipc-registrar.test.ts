import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { AtlasError } from '../../electron/atlas/api.ts';
import type { AtlasErrorKind } from '../../shared/atlas.ts';
import { CONTRACT_CHANNELS, dispatch, forwardPushes, registerIpc } from '../../electron/shell/ipc-registrar.ts';
import { DeskError } from '../../electron/core/desk-error.ts';
import { GENERIC_INTERNAL_MESSAGE, toIpcError } from '../../electron/shell/errors.ts';
import { channels } from '../../shared/ipc.ts';
import type { Channel, Handlers, IpcResult } from '../../shared/ipc.ts';
import { echoHandlers, fakeIpcMain, ownPage, trusted } from './fakes.ts';
import { PAN } from '../support/cards.ts';

function spyHandlers() {
  const calls: Channel[] = [];
  const handlers = Object.fromEntries(
    CONTRACT_CHANNELS.map((c) => [c, async () => { calls.push(c); return 'ok'; }]),
  ) as unknown as Handlers;
  return { handlers, calls };
}

describe('IPC registrar', () => {
  it('registers exactly one handler per contract channel and removes them all', () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const dispose = registerIpc({ ipcMain, handlers: echoHandlers(), isTrustedSender: trusted });
    expect([...handlers.keys()].sort()).toEqual(Object.keys(channels).sort());
    dispose();
    expect(handlers.size).toBe(0);
  });

  it.each([
    ['a foreign page', { senderFrame: { url: 'https://evil.example/', parent: null } }],
    ['a subframe of our page', { senderFrame: { url: 'app://desk/index.html', parent: {} } }],
    ['a destroyed frame', { senderFrame: null }],
    ['a file:// page that is not ours', { senderFrame: { url: 'file:///tmp/index.html', parent: null } }],
  ])('rejects %s with forbidden_sender and never calls the handler', async (_name, event) => {
    const { handlers, calls } = spyHandlers();
    const { ipcMain, handlers: registered } = fakeIpcMain();
    registerIpc({ ipcMain, handlers, isTrustedSender: trusted });
    for (const channel of CONTRACT_CHANNELS) {
      const result = (await registered.get(channel)!(event as never, {})) as IpcResult<unknown>;
      expect(result).toEqual({ ok: false, error: { code: 'forbidden_sender', message: expect.any(String) } });
    }
    expect(calls).toEqual([]);
  });

  it('passes a valid request to its handler and wraps the answer', async () => {
    const result = await dispatch('orders:list', ownPage, { scope: 'failed' }, { handlers: echoHandlers(), isTrustedSender: trusted });
    expect(result).toEqual({ ok: true, value: { channel: 'orders:list', echo: { scope: 'failed' } } });
  });

  const malformed: unknown[] = [
    undefined,
    null,
    42,
    'orders',
    [],
    [{}],
    { extra: true },
    JSON.parse('{"__proto__": {"polluted": true}, "scope": "all", "orderNo": "ABC123"}'),
    { orderNo: 'x'.repeat(10_000) },
    { orderNos: new Array(501).fill('ABCDEF12') },
    { card: { cardNumber: '4111111111111111' } },
  ];

  it.each(CONTRACT_CHANNELS)('rejects malformed and random payloads on %s with invalid_request, without throwing', async (channel) => {
    const { handlers, calls } = spyHandlers();
    const schema = channels[channel].request;
    const rejects = async (payload: unknown) => {
      const result = await dispatch(channel, ownPage, payload, { handlers, isTrustedSender: trusted });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('invalid_request');
    };
    for (const payload of malformed) if (!schema.safeParse(payload).success) await rejects(payload);
    await fc.assert(
      fc.asyncProperty(
        fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true }).filter((v) => !schema.safeParse(v).success),
        rejects,
      ),
      { numRuns: 150 },
    );
    expect(calls).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never quotes the rejected input in the error message', async () => {
    const result = await dispatch('recovery:card', ownPage, { orderNo: 'ABC123', card: { cardNumber: '4111111111111111', cardCVV: 'abcd' } }, { handlers: echoHandlers(), isTrustedSender: trusted });
    expect(JSON.stringify(result)).not.toContain('4111111111111111');
    expect(JSON.stringify(result)).not.toContain('abcd');
  });
});

describe('error mapping', () => {
  const atlas = (kind: AtlasErrorKind, extra = {}) => new AtlasError({ kind, endpoint: 'pay', ...extra });

  it.each([
    ['network', 'offline'],
    ['timeout', 'offline'],
    ['unauthorized', 'atlas_unauthorized'],
    ['rate_limited', 'atlas_rate_limited'],
    ['business', 'atlas_error'],
    ['server', 'atlas_error'],
    ['unknown_outcome', 'atlas_error'],
    ['invalid_response', 'atlas_error'],
  ] as const)('maps an Atlas %s failure to %s', async (kind, code) => {
    const handlers = { ...echoHandlers(), 'balance:get': async () => { throw atlas(kind); } };
    const result = await dispatch('balance:get', ownPage, { currencies: ['USD'] }, { handlers, isTrustedSender: trusted });
    expect(result).toEqual({ ok: false, error: { code, message: expect.stringContaining('Atlas pay') } });
  });

  it('hides the message of unexpected errors behind a generic internal error', () => {
    expect(toIpcError(new TypeError('cannot read x of undefined at /home/staff/secret-path'))).toEqual({ code: 'internal', message: GENERIC_INTERNAL_MESSAGE });
    expect(toIpcError('a string')).toEqual({ code: 'internal', message: GENERIC_INTERNAL_MESSAGE });
    expect(toIpcError(new DeskError('conflict', 'busy'))).toEqual({ code: 'conflict', message: 'busy' });
    // Which refusal it was reaches the window, so it can say it in words.
    expect(toIpcError(new DeskError('conflict', 'TESTA1 already has job j1 (deposit, queued)', 'already_queued'))).toEqual({
      code: 'conflict',
      message: 'TESTA1 already has job j1 (deposit, queued)',
      reason: 'already_queued',
    });
    expect(toIpcError(new DeskError('conflict', 'no', 'claimed_by_other_desk'))).toEqual({ code: 'conflict', message: 'no', reason: 'claimed_by_other_desk' });
    // Only the closed vocabulary crosses: anything else stays in main.
    expect(toIpcError(Object.assign(new Error('x'), { code: 'conflict', reason: 'C:\\Users\\secret' }))).toEqual({ code: 'conflict', message: 'x' });
    expect(toIpcError(Object.assign(new Error('no such order'), { code: 'not_found' }))).toEqual({ code: 'not_found', message: 'no such order' });
    expect(toIpcError(Object.assign(new Error('x'), { code: 'ENOENT' })).code).toBe('internal');
  });
});

describe('nothing secret leaves main', () => {
  const CVV = '737';
  const SECRET = 'S3cr3t-Client-Key-987';
  const card = { cardNumber: PAN, cardCVV: CVV, cardExpireMonth: '03', cardExpireYear: '2030', cardHolderFirstName: 'Ana', cardHolderLastName: 'Lee' };
  const options = { handlers: echoHandlers(), isTrustedSender: trusted, secrets: () => [SECRET] };

  it('drops card data from a response that echoes a card request', async () => {
    for (const [channel, request] of [
      ['recovery:card', { orderNo: 'ABC123', card, approved: { dueFromCard: { amount: 100, currency: 'USD' }, dueFromDeposit: null } }],
      ['queue:provideCard', { jobId: 'j1', card }],
    ] as const) {
      const text = JSON.stringify(await dispatch(channel, ownPage, request, options));
      expect(text).toContain('"ok":true');
      expect(text).not.toContain(PAN);
      expect(text).not.toContain(`"${CVV}"`);
    }
  });

  it('drops the client secret from a response that echoes credentials', async () => {
    const text = JSON.stringify(await dispatch('credentials:set', ownPage, { clientId: 'agency', clientSecret: SECRET }, options));
    expect(text).not.toContain(SECRET);
  });

  it('masks card numbers and the secret inside strings of responses, errors and pushes', async () => {
    const handlers = {
      ...echoHandlers(),
      'orders:show': async () => ({ note: `paid with 4111 1111 1111 1111 using ${SECRET}` }),
      'queue:list': async () => { throw new DeskError('conflict', `card ${PAN} refused; key ${SECRET}`); },
    } as unknown as Handlers;
    const shown = JSON.stringify(await dispatch('orders:show', ownPage, { orderNo: 'ABC123' }, { ...options, handlers }));
    const failed = JSON.stringify(await dispatch('queue:list', ownPage, {}, { ...options, handlers }));
    for (const text of [shown, failed]) {
      expect(text).not.toMatch(/4111[ -]?1111[ -]?1111[ -]?1111/);
      expect(text).not.toContain(SECRET);
      expect(text).toContain('411111');
    }
    const sent: unknown[] = [];
    let emit: (payload: unknown) => void = () => {};
    forwardPushes({ on: (push, fn) => { if (push === 'queue:changed') emit = fn as never; return () => {}; } }, (_p, payload) => sent.push(payload), () => [SECRET]);
    emit([{ id: 'j', cardMask: '411111******1111', creditCard: card, reason: `declined ${PAN}` }]);
    expect(JSON.stringify(sent)).not.toContain(PAN);
    expect(JSON.stringify(sent)).toContain('411111******1111');
  });

  it('never returns a Luhn-valid card number placed anywhere in a response (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), async (before, after) => {
        const handlers = { ...echoHandlers(), 'sync:status': async () => ({ error: `${before} ${PAN} ${after}` }) } as unknown as Handlers;
        const text = JSON.stringify(await dispatch('sync:status', ownPage, {}, { ...options, handlers }));
        expect(text).not.toContain(PAN);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps order numbers and ids intact', async () => {
    const value = { orderNo: 'TESTA20250816160804096', id: '550e8400-e29b-41d4-a716-446655440000', total: 1234.5 };
    const handlers = { ...echoHandlers(), 'sync:status': async () => value } as unknown as Handlers;
    expect(await dispatch('sync:status', ownPage, {}, { ...options, handlers })).toEqual({ ok: true, value });
  });
});

describe('push forwarding', () => {
  it('forwards every contract push and stops when disposed', () => {
    const subs = new Map<string, (p: unknown) => void>();
    const send = vi.fn();
    const dispose = forwardPushes({ on: (push, fn) => { subs.set(push, fn as never); return () => subs.delete(push); } }, send);
    expect([...subs.keys()].sort()).toEqual(['env:changed', 'orders:changed', 'queue:changed', 'queue:leaseChanged', 'queue:paceChanged', 'storage:changed', 'sync:changed', 'team:changed', 'update:changed']);
    subs.get('orders:changed')!({ orderNos: ['ABC123'] });
    expect(send).toHaveBeenCalledWith('orders:changed', { orderNos: ['ABC123'] });
    dispose();
    expect(subs.size).toBe(0);
  });
});
