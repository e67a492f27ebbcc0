// Stand-in for the `electron` module in vitest: the binary cannot be downloaded on CI machines.
// Tests that exercise the Electron shell replace pieces of this with their own fakes.
export const app = {};
export const ipcMain = {};
export const BrowserWindow = class {};
export const safeStorage = {};
export const net = {};
export default { app, ipcMain, BrowserWindow, safeStorage, net };
