/**
 * Errors the engine reports to its callers. The code decides the CLI exit status and the HTTP status, so every adapter
 * reports the same failure the same way.
 */
export type ErrorCode = 'invalid_input' | 'not_found' | 'conflict' | 'bad_data' | 'cancelled' | 'unavailable' | 'internal';

export interface ErrorDetail {
  /** Where the problem is: a file, a line in it, and a field (or an input path such as `k`). */
  file?: string;
  line?: number;
  field?: string;
  reason: string;
}

export class PontError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];

  constructor(code: ErrorCode, message: string, details: ErrorDetail[] = []) {
    super(message);
    this.name = 'PontError';
    this.code = code;
    this.details = details;
  }

  toJSON(): { code: ErrorCode; message: string; details: ErrorDetail[] } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export const exitCodes: Record<ErrorCode, number> = {
  invalid_input: 2,
  not_found: 3,
  conflict: 4,
  bad_data: 5,
  cancelled: 130,
  unavailable: 6,
  internal: 1,
};

export const httpStatus: Record<ErrorCode, number> = {
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  bad_data: 422,
  cancelled: 499,
  unavailable: 503,
  internal: 500,
};
