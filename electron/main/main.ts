import { app, BrowserWindow, dialog, ipcMain, session, utilityProcess, type UtilityProcess } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Relay } from '../ipc/relay.ts';
import { portTransport } from '../ipc/ports.ts';
import type { Request } from '../ipc/protocol.ts';
import { enforceCsp, lockNavigation, secureWebPreferences } from './security.ts';
import { installMenu } from './menu.ts';
import { heapFlags, startupEnv } from '../engine/jobs/heap-flags.ts';

// Set by Electron Forge's Vite plugin for the renderer named main_window.
declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
declare const MAIN_WINDOW_VITE_NAME: string;

const here = __dirname;
let window: BrowserWindow | null = null;
let engine: UtilityProcess | null = null;
let relay: Relay | null = null;
let quitting = false;

/** The workspace lives with the user's application data (PONT_WORKSPACE overrides it, as for the CLI). */
function workspaceDir(): string {
  return process.env.PONT_WORKSPACE ?? join(app.getPath('userData'), 'workspace');
}

/** The demo's files: in the app's resources once packaged (forge extraResource, electron-builder extraResources). */
function demoDir(): string {
  return app.isPackaged ? join(process.resourcesPath, 'demo') : join(app.getAppPath(), 'resources', 'demo');
}

/** Content packs a partner put into the installer (electron-builder extraResources): installed once on first start. */
function packsDir(): string {
  return app.isPackaged ? join(process.resourcesPath, 'packs') : join(app.getAppPath(), 'resources', 'packs');
}

function startEngine(workspace: string): void {
  engine = utilityProcess.fork(join(here, 'engine-process.cjs'), ['--workspace', workspace, '--demo-dir', demoDir(), '--packs-dir', packsDir()], {
    serviceName: 'Pont engine',
    stdio: 'inherit',
    // The engine holds whole query sets and builds indexes: the same heap sizes and allocator as the CLI's long commands.
    execArgv: [...heapFlags],
    env: { ...startupEnv, ...process.env },
  });
  const port = engine;
  relay = new Relay(portTransport<Request>({
    postMessage: (m) => port.postMessage(m),
    on: (_e, l) => port.on('message', l),
    off: (_e, l) => port.off('message', l),
  }));
  engine.on('exit', (code) => {
    relay?.engineGone(`the engine stopped (exit code ${code}); restart Pont`);
    if (code !== 0 && !quitting) {
      dialog.showErrorBox('Pont', `The search engine stopped unexpectedly (exit code ${code}). Your workspace is at ${workspace}; restart Pont to continue.`);
    }
  });
}

function createWindow(): void {
  window = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    title: 'Pont',
    show: false,
    webPreferences: secureWebPreferences(join(here, 'preload.cjs')),
  });
  const url = MAIN_WINDOW_VITE_DEV_SERVER_URL ?? pathToFileURL(join(here, `../renderer/${MAIN_WINDOW_VITE_NAME}/index.html`)).href;
  lockNavigation(window.webContents, MAIN_WINDOW_VITE_DEV_SERVER_URL ?? pathToFileURL(join(here, '../renderer/')).href);
  const contents = window.webContents;
  const id = contents.id;
  contents.on('destroyed', () => relay?.disconnect(id));
  window.once('ready-to-show', () => window?.show());
  void window.loadURL(url);
}

if (!app.requestSingleInstanceLock()) {
  // Another Pont has the workspace open: hand over to it (it comes to the front) rather than share the database.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  ipcMain.on('pont:request', (event, message: unknown) => {
    if (!window || event.sender !== window.webContents) return;
    const sender = event.sender;
    relay?.fromClient({ id: sender.id, send: (reply) => !sender.isDestroyed() && sender.send('pont:reply', reply) }, message);
  });

  ipcMain.handle('pont:choosePath', async (event, kind: unknown) => {
    if (!window || event.sender !== window.webContents) return null;
    const r = await dialog.showOpenDialog(window, {
      properties: kind === 'folder' ? ['openDirectory'] : ['openFile'],
      filters: kind === 'folder' ? [] : [
        { name: 'Collections, queries, qrels, content packs', extensions: ['tsv', 'jsonl', 'gz', 'txt', 'qrels', 'pontpack'] },
        { name: 'All files', extensions: ['*'] },
      ],
    });
    return r.canceled ? null : (r.filePaths[0] ?? null);
  });

  app.on('before-quit', () => {
    quitting = true;
    engine?.kill();
  });

  app.on('window-all-closed', () => app.quit());

  void app.whenReady().then(() => {
    const workspace = workspaceDir();
    enforceCsp(session.defaultSession);
    installMenu(workspace);
    startEngine(workspace);
    createWindow();
  });
}
