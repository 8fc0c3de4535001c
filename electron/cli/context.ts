import type { Command } from 'commander';
import type { Engine } from '../api/engine.ts';
import type { Input, MethodName, Output } from '../api/contract/index.ts';
import { exitCodes, PontError, type ErrorDetail } from '../engine/errors.ts';
import { defaultWorkspaceDir, WorkspaceError } from '../engine/store/location.ts';
import { ProgressBar } from './progress-bar.ts';

export interface GlobalOptions {
  workspace?: string;
  json?: boolean;
  demo?: boolean;
}

/** Failures the CLI reports itself (bad arguments before anything reaches the engine). */
export class UsageError extends Error {}

function describe(d: ErrorDetail): string {
  const where = [d.file, d.line !== undefined ? `line ${d.line}` : undefined, d.field ? `field ${d.field}` : undefined]
    .filter(Boolean)
    .join(', ');
  return where ? `${where}: ${d.reason}` : d.reason;
}

/**
 * What every command does: open the workspace, call one API method with a progress bar and Ctrl-C wired to
 * cancellation, print the result as JSON or for people, and exit with a status that says what went wrong.
 */
export class Cli {
  private readonly program: Command;

  constructor(program: Command) {
    this.program = program;
  }

  get options(): GlobalOptions {
    return this.program.opts<GlobalOptions>();
  }

  /** Loads SQLite, the contract and the workspace only now, so that `--help` and usage errors stay fast. */
  async openEngine(): Promise<Engine> {
    const dir = this.options.workspace ?? defaultWorkspaceDir();
    const [{ Workspace }, { wantsDemo }, { Engine }, zod] = await Promise.all([
      import('../engine/store/workspace.ts'),
      import('../engine/demo/wants.ts'),
      import('../api/engine.ts'),
      import('zod'),
    ]);
    // zod compiles a parser for each object schema it checks (new Function), which pays off over many calls; a
    // command makes one, and its first check costs ~10 ms less without (CLI start-up, issue 12).
    zod.config({ jitless: true });
    const workspace = Workspace.open(dir);
    if (this.options.demo !== false && wantsDemo(workspace)) await (await import('../engine/demo/seed.ts')).seedDemo(workspace);
    return new Engine(workspace);
  }

  async call<K extends MethodName>(method: K, input: Input<K>, render: (out: Output<K>) => string): Promise<void> {
    const engine = await this.openEngine();
    const abort = new AbortController();
    const onSigint = () => {
      if (abort.signal.aborted) process.exit(exitCodes.cancelled);
      process.stderr.write('\npont: cancelling… (press Ctrl-C again to quit at once)\n');
      abort.abort();
    };
    process.on('SIGINT', onSigint);
    const bar = this.options.json ? undefined : new ProgressBar();
    try {
      const out = await engine.call(method, input, { signal: abort.signal, ...(bar ? { onProgress: bar.update } : {}) });
      bar?.clear();
      const text = this.options.json ? JSON.stringify(out, null, 2) : render(out);
      if (text) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    } finally {
      bar?.clear();
      process.off('SIGINT', onSigint);
      engine.close();
    }
  }

  /** Prints an error the way scripts and people both need it, and returns the exit status. */
  report(e: unknown): number {
    if (e instanceof PontError) {
      if (this.options.json) {
        process.stderr.write(`${JSON.stringify({ error: e.toJSON() })}\n`);
      } else {
        process.stderr.write(`pont: ${e.message}\n`);
        for (const d of e.details.slice(0, 20)) process.stderr.write(`  ${describe(d)}\n`);
        if (e.details.length > 20) process.stderr.write(`  … and ${e.details.length - 20} more\n`);
      }
      return exitCodes[e.code];
    }
    if (e instanceof WorkspaceError || e instanceof UsageError) {
      process.stderr.write(`pont: ${e.message}\n`);
      return e instanceof UsageError ? exitCodes.invalid_input : exitCodes.unavailable;
    }
    process.stderr.write(`pont: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return exitCodes.internal;
  }
}
