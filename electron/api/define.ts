import type { z } from 'zod';
import type { JobContext } from '../engine/jobs/progress.ts';
import type { Workspace } from '../engine/store/workspace.ts';

/**
 * One method of the engine's API. The input schema is checked at the boundary (CLI, IPC, HTTP), so handlers only
 * ever see validated, defaulted input. The output type is carried as a phantom for the adapters' type-checking.
 */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  summary: string;
  input: I;
  /** Long work: reports progress, can be cancelled. */
  job: boolean;
  readonly __output?: O;
}

export function defineMethod<I extends z.ZodType>(spec: { summary: string; input: I; job?: boolean }) {
  return { returns: <O>(): MethodSpec<I, O> => ({ summary: spec.summary, input: spec.input, job: spec.job ?? false }) };
}

export type MethodTable = Record<string, MethodSpec>;
export type InputOf<M> = M extends MethodSpec<infer I, unknown> ? z.input<I> : never;
export type ParsedOf<M> = M extends MethodSpec<infer I, unknown> ? z.output<I> : never;
export type OutputOf<M> = M extends MethodSpec<z.ZodType, infer O> ? O : never;

/** What a handler gets besides its input: the open workspace and the job context (progress, cancellation). */
export interface CallContext extends JobContext {
  workspace: Workspace;
  /** Long jobs run in threads of their own (see `runJob`). */
  jobThreads?: boolean;
}

export type HandlersFor<T extends MethodTable> = {
  [K in keyof T]: (input: ParsedOf<T[K]>, ctx: CallContext) => OutputOf<T[K]> | Promise<OutputOf<T[K]>>;
};
