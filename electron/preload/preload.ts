import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadApi } from '../ipc/preload-api.ts';
import type { Request } from '../ipc/protocol.ts';

// The page gets exactly this: typed API calls (with progress and cancel) and the native file dialogs.
const api = createPreloadApi(
  {
    send: (m: Request) => ipcRenderer.send('pont:request', m),
    subscribe: (handler) => {
      const listener = (_e: unknown, m: unknown) => handler(m);
      ipcRenderer.on('pont:reply', listener);
      return () => ipcRenderer.off('pont:reply', listener);
    },
  },
  (kind) => ipcRenderer.invoke('pont:choosePath', kind) as Promise<string | null>,
);

contextBridge.exposeInMainWorld('pont', api);
