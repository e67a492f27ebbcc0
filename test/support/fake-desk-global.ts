// Browser-preview entry: installs the in-memory fake as `window.desk` before the app starts.
// Bundled by preview-ui.ts and injected with page.addInitScript; never part of the app build.
import './zod-jitless.ts';
import { createFakeDesk, SEEDS, bulkSeeds, type FakeDeskOptions } from './fake-desk.ts';

declare global {
  interface Window {
    __FAKE_DESK_OPTIONS__?: FakeDeskOptions & { extraOrders?: number };
  }
}

const opts = window.__FAKE_DESK_OPTIONS__ ?? {};
const fake = createFakeDesk({ autoAdvance: true, ...opts, seeds: [...SEEDS, ...bulkSeeds(opts.extraOrders ?? 60)] });
Object.defineProperty(window, 'desk', { value: Object.freeze(fake.api), configurable: false });
