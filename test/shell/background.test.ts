// The desk in the background, each behaviour under the fake `electron` (test/support/fake-electron.ts):
// close-to-tray while work is pending, taskbar progress, the power-save blocker, the tray icon and
// its menu in both languages, start at login and the Windows AppUserModelId.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { createBackgroundWork } from '../../electron/shell/background.ts';
import { APP_ID, applyStartAtLogin, identifyApp } from '../../electron/shell/os-integration.ts';
import { createDeskTray, trayIconSize } from '../../electron/shell/tray.ts';
import { createWorkTracker } from '../../electron/shell/work-state.ts';
import type { Language } from '../../shared/ipc.ts';
import { notificationText } from '../../shared/notification-text.ts';
import { app, BrowserWindow, Menu, nativeImage, powerSaveBlocker, Tray } from '../support/fake-electron.ts';
import { job } from './fakes.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

beforeAll(() => app.becomeReady());
beforeEach(() => {
  powerSaveBlocker.active.clear();
  powerSaveBlocker.started.length = 0;
});

function setup(options: { paymentInFlight?: () => boolean; quitting?: () => boolean } = {}) {
  const keptInTray = vi.fn();
  const work = createBackgroundWork({
    powerSaveBlocker,
    paymentInFlight: options.paymentInFlight ?? (() => false),
    quitting: options.quitting ?? (() => false),
    onKeptInTray: keptInTray,
  });
  const win = new BrowserWindow();
  win.show();
  work.attachWindow(win);
  return { work, win, keptInTray };
}

describe('close-to-tray', () => {
  it('hides the window instead of closing it while a job is pending, and says so once', () => {
    const { work, win, keptInTray } = setup();
    work.onJobs([job('1', 'running'), job('2', 'queued')]);
    win.close();
    expect(win.isDestroyed()).toBe(false);
    expect(win.isVisible()).toBe(false);
    expect(keptInTray).toHaveBeenCalledOnce();
    win.show();
    win.close();
    expect(win.isDestroyed()).toBe(false);
    expect(keptInTray).toHaveBeenCalledOnce();
  });

  it('counts jobs waiting for the network as pending (they resume by themselves), not jobs waiting for staff', () => {
    const { work, win } = setup();
    work.onJobs([job('1', 'waiting_network')]);
    win.close();
    expect(win.isDestroyed()).toBe(false);
    work.onJobs([job('1', 'needs_card'), job('2', 'done'), job('3', 'attention')]);
    win.close();
    expect(win.isDestroyed()).toBe(true);
  });

  it('closes the window when nothing is pending', () => {
    const { work, win, keptInTray } = setup();
    work.onJobs([job('1', 'done'), job('2', 'blocked')]);
    win.close();
    expect(win.isDestroyed()).toBe(true);
    expect(keptInTray).not.toHaveBeenCalled();
  });

  it('hides while a payment is on the wire even before any job snapshot arrived', () => {
    let paying = true;
    const { win } = setup({ paymentInFlight: () => paying });
    win.close();
    expect(win.isDestroyed()).toBe(false);
    paying = false;
    win.close();
    expect(win.isDestroyed()).toBe(true);
  });

  it('lets the window close once staff quit, even with work pending (the quit guard asked already)', () => {
    let quitting = false;
    const { work, win } = setup({ quitting: () => quitting });
    work.onJobs([job('1', 'running')]);
    quitting = true;
    win.close();
    expect(win.isDestroyed()).toBe(true);
  });

  it('never stands in the way of a quit staff confirmed: app.quit() then closes a window that holds work', () => {
    // app.quit() closes every window after before-quit; a window that refused would cancel the quit.
    for (const other of BrowserWindow.getAllWindows()) other.destroy();
    let quitting = false;
    const { work, win } = setup({ quitting: () => quitting });
    work.onJobs([job('1', 'running')]);
    const quitted = vi.fn();
    app.once('quit', quitted);
    const guard = (event: { preventDefault(): void }) => {
      if (!quitting) event.preventDefault();
    };
    app.on('before-quit', guard);
    app.quit(); // held by the "guard": nothing closes
    expect(win.isDestroyed()).toBe(false);
    expect(quitted).not.toHaveBeenCalled();
    quitting = true;
    app.quit();
    expect(win.isDestroyed()).toBe(true);
    expect(quitted).toHaveBeenCalledOnce();
    app.removeListener('before-quit', guard);
  });
});

describe('taskbar and dock progress', () => {
  it('shows the batch done so far, pauses while only the network is awaited, and clears when idle', () => {
    const { work, win } = setup();
    work.onJobs([job('1', 'queued'), job('2', 'queued'), job('3', 'queued'), job('0', 'done')]);
    work.onJobs([job('1', 'done'), job('2', 'running'), job('3', 'queued'), job('0', 'done')]);
    work.onJobs([job('1', 'done'), job('2', 'waiting_network'), job('3', 'waiting_network'), job('0', 'done')]);
    // A job added to a running batch joins it.
    work.onJobs([job('1', 'done'), job('2', 'done'), job('3', 'running'), job('4', 'queued'), job('0', 'done')]);
    work.onJobs([job('1', 'done'), job('2', 'done'), job('3', 'blocked'), job('4', 'done'), job('0', 'done')]);
    expect(win.progress).toEqual([
      { value: 0, mode: 'normal' },
      { value: 1 / 3, mode: 'normal' },
      { value: 1 / 3, mode: 'paused' },
      { value: 2 / 4, mode: 'normal' },
      { value: -1 },
    ]);
    // The next batch starts from zero.
    work.onJobs([job('5', 'queued')]);
    expect(win.progress.at(-1)).toEqual({ value: 0, mode: 'normal' });
  });

  it('touches no progress bar while idle, and picks up the current batch on a new window', () => {
    const { work, win } = setup();
    work.onJobs([job('1', 'done')]);
    expect(win.progress).toEqual([]);
    work.onJobs([job('1', 'done'), job('2', 'running'), job('3', 'queued')]);
    const next = new BrowserWindow();
    work.attachWindow(next);
    expect(next.progress).toEqual([{ value: 0, mode: 'normal' }]);
  });
});

describe('power-save blocker', () => {
  it('keeps the computer from suspending while jobs talk to Atlas, and lets it sleep afterwards', () => {
    const { work } = setup();
    work.onJobs([job('1', 'queued')]);
    expect([...powerSaveBlocker.active.values()]).toEqual(['prevent-app-suspension']);
    work.onJobs([job('1', 'running'), job('2', 'tracking')]);
    expect(powerSaveBlocker.started).toEqual(['prevent-app-suspension']); // one blocker, not one per change
    work.onJobs([job('1', 'done'), job('2', 'done')]);
    expect(powerSaveBlocker.active.size).toBe(0);
  });

  it('does not keep an offline laptop awake: jobs only waiting for the network do not block', () => {
    const { work } = setup();
    work.onJobs([job('1', 'waiting_network'), job('2', 'needs_card')]);
    expect(powerSaveBlocker.active.size).toBe(0);
    expect(work.workPending()).toBe(true);
    expect(work.busy()).toBe(false);
  });

  it('blocks while a payment is on the wire, and releases the blocker on stop', () => {
    let paying = true;
    const { work } = setup({ paymentInFlight: () => paying });
    work.onJobs([]);
    expect(powerSaveBlocker.active.size).toBe(1);
    work.stop();
    expect(powerSaveBlocker.active.size).toBe(0);
    paying = false;
    work.onJobs([]);
    expect(powerSaveBlocker.started).toHaveLength(1);
  });
});

describe('work state', () => {
  it('tells listeners about every change', () => {
    const { work } = setup();
    const seen = vi.fn();
    const off = work.onChange(seen);
    work.onJobs([job('1', 'running')]);
    off();
    work.onJobs([job('1', 'done')]);
    expect(seen).toHaveBeenCalledExactlyOnceWith({ pending: true, busy: true, progress: { done: 0, total: 1, waitingNetwork: false } });
  });

  it('forgets a batch once the queue is idle', () => {
    const track = createWorkTracker();
    track([job('1', 'running'), job('2', 'queued')]);
    expect(track([job('1', 'done'), job('2', 'done')]).progress).toBeNull();
    expect(track([job('1', 'done'), job('2', 'done'), job('3', 'queued')]).progress).toEqual({ done: 0, total: 1, waitingNetwork: false });
  });
});

describe('tray icon', () => {
  function makeTray(language: () => Language) {
    const calls: string[] = [];
    const tray = createDeskTray({
      createTray: () => new Tray(nativeImage.createFromPath(path.join(root, 'build/icon.png')).resize({ width: 32, height: 32 })),
      buildMenu: (items) => Menu.buildFromTemplate(items),
      language,
      open: () => calls.push('open'),
      syncNow: () => calls.push('sync'),
      quit: () => calls.push('quit'),
    });
    const fake = Tray.instances.at(-1)!;
    return { tray, fake, calls };
  }
  const idle = { pending: false, busy: false, progress: null };

  it('offers Open, Sync now and Quit, and opens the window on a click on the icon', () => {
    const { tray, fake, calls } = makeTray(() => 'en');
    tray.refresh(idle);
    expect(fake.menu!.labels()).toEqual(['Open Atlas Retry Desk', 'Sync now', 'Quit']);
    expect(fake.image.isEmpty()).toBe(false);
    expect(fake.image.getSize()).toEqual({ width: 32, height: 32 });
    fake.menu!.click('Open Atlas Retry Desk');
    fake.menu!.click('Sync now');
    fake.menu!.click('Quit');
    fake.click();
    expect(calls).toEqual(['open', 'sync', 'quit', 'open']);
  });

  it('speaks the staff language, switching when the setting changes, and shows progress in its tooltip', () => {
    let language: Language = 'zh-CN';
    const { tray, fake } = makeTray(() => language);
    tray.refresh(idle);
    expect(fake.menu!.labels()).toEqual(['打开 Atlas 重付工作台', '立即同步', '退出']);
    expect(fake.tooltip).toBe('Atlas 重付工作台');
    const menu = fake.menu;
    tray.refresh({ pending: true, busy: true, progress: { done: 1, total: 3, waitingNetwork: false } });
    expect(fake.tooltip).toBe(notificationText('zh-CN', 'trayTooltipWorking', { done: 1, total: 3 }));
    expect(fake.menu).toBe(menu); // same words: the native menu is not rebuilt
    language = 'en';
    tray.refresh(idle);
    expect(fake.menu!.labels()).toEqual(['Open Atlas Retry Desk', 'Sync now', 'Quit']);
    expect(fake.tooltip).toBe('Atlas Retry Desk');
    tray.destroy();
    expect(fake.isDestroyed()).toBe(true);
  });

  it('is sized for the menu bar on macOS and for the notification area elsewhere', () => {
    expect(trayIconSize('darwin')).toBe(16);
    expect(trayIconSize('win32')).toBe(32);
  });

  it('ships its image with the installers (electron-builder extraResources)', () => {
    const config = parse(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'));
    expect(config.extraResources).toContainEqual({ from: 'build/icon.png', to: 'tray-icon.png' });
    expect(fs.existsSync(path.join(root, 'build/icon.png'))).toBe(true);
  });
});

describe('operating system integration', () => {
  it('sets the AppUserModelId from electron-builder.yml on Windows only', () => {
    const config = parse(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'));
    expect(APP_ID).toBe(config.appId);
    for (const platform of ['darwin', 'linux'] as const) identifyApp(app, platform);
    expect(app.appUserModelId).toBeNull();
    identifyApp(app, 'win32');
    expect(app.appUserModelId).toBe(config.appId);
  });

  it('registers the login item as the setting says, only in the packaged app on Windows and macOS', () => {
    const log = vi.fn();
    applyStartAtLogin(app, true, 'win32', log); // unpackaged: the bare Electron binary would start
    expect(app.loginItems).toEqual([]);
    expect(log).toHaveBeenCalledWith('login item: left alone (unpackaged run); start at login on');
    app.isPackaged = true;
    try {
      applyStartAtLogin(app, true, 'linux');
      expect(app.loginItems).toEqual([]);
      applyStartAtLogin(app, true, 'win32');
      expect(app.getLoginItemSettings().openAtLogin).toBe(true);
      applyStartAtLogin(app, false, 'darwin');
      expect(app.loginItems).toEqual([{ openAtLogin: true }, { openAtLogin: false }]);
    } finally {
      app.isPackaged = false;
    }
  });
});
