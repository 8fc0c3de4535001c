import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import { shell } from 'electron';
import { contentSecurityPolicy } from '../http/security.ts';

/** The window's web preferences: an isolated, sandboxed page with no Node, whose only door is the preload's API. */
export function secureWebPreferences(preload: string): BrowserWindowConstructorOptions['webPreferences'] {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    spellcheck: false,
  };
}

/** The same Content-Security-Policy the HTTP server sends, on every response the window loads. */
export function enforceCsp(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy] } });
  });
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
}

/** The window never navigates away from the app or opens new windows; web links open in the user's browser. */
export function lockNavigation(contents: WebContents, appUrl: string): void {
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(appUrl)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
