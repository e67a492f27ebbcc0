// failureOf is the one way to read an Atlas failure off a thrown error; it must not depend on which
// copy of electron/atlas/api.ts threw it (a bundle beside the source, a second module instance).
import { describe, expect, it } from 'vitest';
import type * as api from '../../electron/atlas/api.ts';
import { AtlasError, failureOf, isOffline, isOrderNotFound } from '../../electron/atlas/api.ts';
import { GENERIC_INTERNAL_MESSAGE, toIpcError } from '../../electron/shell/errors.ts';
import type { AtlasFailure } from '../../shared/atlas.ts';

/** A second, separate instance of the module (the query makes the loader evaluate it again). */
async function secondCopy(): Promise<typeof api> {
  const url = new URL('../../electron/atlas/api.ts', import.meta.url).href;
  return (await import(/* @vite-ignore */ `${url}?second-copy`)) as typeof api;
}

const offline: AtlasFailure = { kind: 'network', endpoint: 'queryOrderDetails', meaning: 'connection refused' };

describe('failureOf', () => {
  it('reads the failure of an AtlasError', () => {
    expect(failureOf(new AtlasError(offline))).toEqual(offline);
  });

  it('reads an AtlasError thrown by a second copy of the module, which instanceof misses', async () => {
    const copy = await secondCopy();
    expect(copy.AtlasError).not.toBe(AtlasError);
    const foreign = new copy.AtlasError({ kind: 'business', endpoint: 'queryOrderDetails', code: 800 });
    expect(foreign instanceof AtlasError).toBe(false);
    expect(failureOf(foreign)).toEqual({ kind: 'business', endpoint: 'queryOrderDetails', code: 800 });
    expect(isOrderNotFound(foreign)).toBe(true);
    expect(isOffline(new copy.AtlasError(offline))).toBe(true);
    expect(toIpcError(new copy.AtlasError({ kind: 'rate_limited', endpoint: 'pay', code: 429 })).code).toBe('atlas_rate_limited');
  });

  it('answers null for anything that is not an AtlasError, whatever it looks like', () => {
    const lookalike = Object.assign(new Error('Atlas pay: network'), { name: 'AtlasError', failure: offline });
    for (const error of [lookalike, new Error('x'), { failure: offline }, null, undefined, 'network', 42]) {
      expect(failureOf(error)).toBeNull();
    }
    expect(toIpcError(lookalike)).toEqual({ code: 'internal', message: GENERIC_INTERNAL_MESSAGE });
  });

  it('answers null for a branded error whose failure has no known kind', () => {
    const broken = new AtlasError(offline);
    (broken as { failure: unknown }).failure = { kind: 'meltdown', endpoint: 'pay' };
    expect(failureOf(broken)).toBeNull();
    (broken as { failure: unknown }).failure = null;
    expect(failureOf(broken)).toBeNull();
  });
});
