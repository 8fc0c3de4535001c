import { englishMessage, type MessageId, type MessageParams } from './messages.ts';

export type { MessageId, MessageParams };

/**
 * Errors the engine reports to its callers. The code decides the CLI exit status and the HTTP status, so every adapter
 * reports the same failure the same way.
 */
export type ErrorCode = 'invalid_input' | 'not_found' | 'conflict' | 'bad_data' | 'too_large' | 'cancelled' | 'unavailable' | 'internal';

export interface ErrorDetail {
  /** Where the problem is: a file, a line in it, and a field (or an input path such as `k`). */
  file?: string;
  line?: number;
  field?: string;
  reason: string;
}

/** A PontError as it crosses a process boundary. */
export interface ErrorJson {
  code: ErrorCode;
  message: string;
  details: ErrorDetail[];
  /** The message's id in `engineMessages` and its parameters, which interfaces render in the user's language. */
  id?: MessageId;
  params?: MessageParams;
}

/**
 * A failure the user can act on. Its message is an id of `engineMessages` with parameters: the command line prints
 * the English text, interfaces render the id through their catalogues.
 */
export class PontError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];
  readonly id: MessageId;
  readonly params: MessageParams;

  constructor(code: ErrorCode, id: MessageId, params: MessageParams = {}, details: ErrorDetail[] = []) {
    super(englishMessage(id, params));
    this.name = 'PontError';
    this.code = code;
    this.id = id;
    this.params = params;
    this.details = details;
  }

  toJSON(): ErrorJson {
    return { code: this.code, message: this.message, details: this.details, id: this.id, params: this.params };
  }
}

export const exitCodes: Record<ErrorCode, number> = {
  invalid_input: 2,
  not_found: 3,
  conflict: 4,
  bad_data: 5,
  too_large: 2,
  cancelled: 130,
  unavailable: 6,
  internal: 1,
};

export const httpStatus: Record<ErrorCode, number> = {
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  bad_data: 422,
  too_large: 413,
  cancelled: 499,
  unavailable: 503,
  internal: 500,
};

const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOSPC: 'the disk is full',
  EROFS: 'the file system is read-only',
  EMFILE: 'too many open files',
};

/** A file system error in words (Node's messages name system calls: "EISDIR: illegal operation on a directory, read"). */
export function fileErrorReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return (code && FILE_ERRORS[code]) ?? (e as Error).message;
}
