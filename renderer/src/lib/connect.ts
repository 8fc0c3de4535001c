import type { PontApi, PreloadApi } from './api.ts';
import { desktopApi } from './desktop-api.ts';
import { httpApi, takeToken } from './http-api.ts';

/** Picks the transport the page runs under: the Electron preload when it is there, the loopback HTTP server otherwise. */
export function connect(): PontApi {
  const pont = (window as unknown as { pont?: PreloadApi }).pont;
  return pont ? desktopApi(pont) : httpApi(takeToken());
}
