import type { MessageId, MessageParams, PreloadApi, Progress } from '../../../electron/api/contract/app.ts';
import type { Input, MethodName, Output } from '../../../electron/api/contract/index.ts';

export type { PreloadApi, Progress };

export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

/** An engine error as the interface sees it: a code, a message, and where the problem is. */
export interface ApiErrorDetail {
  file?: string;
  line?: number;
  field?: string;
  reason: string;
}

/** An engine error as it arrives: the English text, and the message id and parameters the interface translates. */
export interface ApiErrorJson {
  code: string;
  message: string;
  details?: ApiErrorDetail[];
  id?: MessageId;
  params?: MessageParams;
}

export class ApiError extends Error {
  readonly code: string;
  readonly details: ApiErrorDetail[];
  readonly id: MessageId | undefined;
  readonly params: MessageParams;

  constructor(e: ApiErrorJson) {
    super(e.message);
    this.name = 'ApiError';
    this.code = e.code;
    this.details = e.details ?? [];
    this.id = e.id;
    this.params = e.params ?? {};
  }
}

/**
 * The one way the interface reaches the engine. Two implementations: the Electron preload (`window.pont`) and the
 * loopback HTTP server. Views never know which.
 */
export interface PontApi {
  /** 'desktop' has native file dialogs; 'browser' uploads files instead. */
  readonly kind: 'desktop' | 'browser';
  call<K extends MethodName>(method: K, input: Input<K>, options?: CallOptions): Promise<Output<K>>;
  /** Calls a method that this build's contract may not know (an engine newer than the interface). */
  callDynamic(method: string, input: unknown, options?: CallOptions): Promise<unknown>;
  /** Desktop: a native dialog; returns the chosen path or null. */
  choosePath?(kind: 'file' | 'folder'): Promise<string | null>;
  /** Browser: sends files to the HTTP server and returns the local path to import (a file, or the folder of a batch). */
  upload?(files: { file: File; path: string }[], onProgress?: (sent: number, total: number) => void): Promise<string>;
}
