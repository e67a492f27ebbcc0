// The tray (Windows notification area, macOS menu bar) icon: it brings the window back after
// close-to-tray, and its menu offers Open, Sync now and Quit in the staff's language. Quit is
// app.quit(), so the quit guard still asks while a payment is in flight.
import type { Language } from '../../shared/ipc.ts';
import { notificationText } from '../../shared/notification-text.ts';
import type { WorkState } from './work-state.ts';

export interface TrayMenuItem {
  label?: string;
  type?: 'separator';
  click?: () => void;
}

export interface TrayLike {
  setToolTip(text: string): void;
  setContextMenu(menu: unknown): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

export interface DeskTray {
  /** Re-reads the language and the work state (after a queue or settings change). */
  refresh(work: WorkState): void;
  destroy(): void;
}

/** Icon size in pixels: the macOS menu bar is 16 points (Retina doubles it itself); Windows and Linux take 32 and scale down. */
export function trayIconSize(platform: NodeJS.Platform): number {
  return platform === 'darwin' ? 16 : 32;
}

export function createDeskTray(options: {
  /** `new Tray(image)`, created here so a failure to create it is the caller's to log. */
  createTray: () => TrayLike;
  buildMenu: (items: TrayMenuItem[]) => unknown;
  language: () => Language;
  open: () => void;
  syncNow: () => void;
  quit: () => void;
}): DeskTray {
  const tray = options.createTray();
  let menuLanguage: Language | null = null;
  let tooltip = '';

  const refresh = (work: WorkState) => {
    const language = options.language();
    const progress = work.progress;
    const nextTooltip = progress
      ? notificationText(language, 'trayTooltipWorking', { done: progress.done, total: progress.total })
      : notificationText(language, 'trayTooltip', {});
    if (nextTooltip !== tooltip) tray.setToolTip((tooltip = nextTooltip));
    // A native menu is rebuilt only when its words change, not on every queue change.
    if (language === menuLanguage) return;
    menuLanguage = language;
    tray.setContextMenu(
      options.buildMenu([
        { label: notificationText(language, 'trayOpen', {}), click: options.open },
        { label: notificationText(language, 'traySync', {}), click: options.syncNow },
        { type: 'separator' },
        { label: notificationText(language, 'trayQuit', {}), click: options.quit },
      ]),
    );
  };

  // Windows convention: a left click on the icon opens the window (the menu is on right click).
  tray.on('click', options.open);
  return { refresh, destroy: () => tray.destroy() };
}
