import type { z } from 'zod';
import { CancelledError, type ProgressListener } from '../engine/jobs/progress.ts';
import type { Workspace } from '../engine/store/workspace.ts';
import type { CallContext } from './define.ts';
import { isMethodName, subsystemOf, tableOf, type Input, type MethodName, type Output } from './contract/index.ts';
import { PontError } from '../engine/errors.ts';
import { handlers } from './handlers/index.ts';

export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

/** Turns zod's issues into the same file/line/field details that data errors carry. */
export function validationError(method: string, error: z.ZodError): PontError {
  const details = error.issues.map((i) => ({ field: i.path.join('.') || '(input)', reason: i.message }));
  const summary = details.map((d) => `${d.field}: ${d.reason}`).join('; ');
  return new PontError('invalid_input', 'input.invalid', { method, problems: summary }, details);
}

/**
 * SQLite's and the file system's "no room", "read-only" and "busy" failures, as errors that say what to do. SQLite rolls
 * back the transaction that failed, so what earlier transactions stored is intact and the job can resume later.
 */
function storageError(e: unknown, folder: string): PontError | undefined {
  const code = String((e as { code?: unknown }).code ?? '');
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return new PontError('unavailable', 'workspace.full', { folder }, [{ file: folder, reason: 'no room left' }]);
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'SQLITE_CANTOPEN') {
    return new PontError('unavailable', 'workspace.read_only', { folder }, [{ file: folder, reason: 'cannot be written' }]);
  }
  // Another process (a second `pont experiment`, an import) held the write lock longer than the connection waits.
  if (code.startsWith('SQLITE_BUSY')) return new PontError('unavailable', 'workspace.busy', { folder }, [{ file: folder, reason: 'another process is writing to it' }]);
  return undefined;
}

/**
 * The engine behind the API: validates every input against the contract, then runs the handler. Adapters (CLI,
 * IPC, HTTP) call `call` with untrusted input and get typed output or an PontError.
 */
export interface EngineOptions {
  /**
   * Run long jobs (imports, index builds, dense encoding) in threads of their own, so that this thread stays free
   * to answer searches: the application and `pont serve`. The command line runs them here.
   */
  jobThreads?: boolean;
}

export class Engine {
  readonly workspace: Workspace;
  private readonly jobThreads: boolean;

  constructor(workspace: Workspace, options: EngineOptions = {}) {
    this.workspace = workspace;
    this.jobThreads = options.jobThreads ?? false;
  }

  async call<K extends MethodName>(method: K, input: Input<K>, options?: CallOptions): Promise<Output<K>>;
  async call(method: string, input: unknown, options?: CallOptions): Promise<unknown>;
  async call(method: string, input: unknown, options: CallOptions = {}): Promise<unknown> {
    if (!isMethodName(method)) throw new PontError('not_found', 'method.unknown', { method });
    const spec = (await tableOf(method))[method]!;
    const parsed = spec.input.safeParse(input ?? {});
    if (!parsed.success) throw validationError(method, parsed.error);
    const ctx: CallContext = {
      workspace: this.workspace,
      signal: options.signal ?? new AbortController().signal,
      progress: options.onProgress ?? (() => {}),
      jobThreads: this.jobThreads,
    };
    const load = handlers[subsystemOf[method]] as () => Promise<Record<string, (input: unknown, ctx: CallContext) => unknown>>;
    try {
      const handler = (await load())[method]!;
      return await handler(parsed.data, ctx);
    } catch (e) {
      if (e instanceof PontError) throw e;
      if (e instanceof CancelledError) throw new PontError('cancelled', 'call.cancelled', { reason: e.message });
      throw storageError(e, this.workspace.dir) ?? e;
    }
  }

  close(): void {
    this.workspace.close();
  }
}
