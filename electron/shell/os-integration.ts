// The desk's place in the operating system: the Windows AppUserModelId (without it, Windows shows
// no notifications for the app and groups it wrongly on the taskbar) and the opt-in "start at
// login" login item.

/** electron-builder.yml `appId`; the installer registers the same id (test/shell/builder-config.test.ts). */
export const APP_ID = 'com.atriptech.agency.retrydesk';

export interface LoginItemApp {
  readonly isPackaged: boolean;
  setLoginItemSettings(settings: { openAtLogin: boolean }): void;
}

/** Windows only: the id notifications and the taskbar are keyed by. */
export function identifyApp(app: { setAppUserModelId(id: string): void }, platform: NodeJS.Platform): void {
  if (platform === 'win32') app.setAppUserModelId(APP_ID);
}

/**
 * Registers (or removes) the desk as a login item, as the `startAtLogin` setting says. The setting
 * is the source of truth and is applied at every start, which also keeps the registered path
 * right after an update moved the executable. Not in an unpackaged run: the login item would start
 * the bare Electron binary without the app. Linux has no login items in Electron.
 */
export function applyStartAtLogin(app: LoginItemApp, enabled: boolean, platform: NodeJS.Platform, log?: (line: string) => void): void {
  const unavailable = platform !== 'win32' && platform !== 'darwin' ? `no login items on ${platform}` : !app.isPackaged ? 'unpackaged run' : null;
  if (unavailable) {
    log?.(`login item: left alone (${unavailable}); start at login ${enabled ? 'on' : 'off'}`);
    return;
  }
  app.setLoginItemSettings({ openAtLogin: enabled });
}
