import { expect } from 'vitest';
import { PontError } from '../../electron/engine/errors.ts';

/** Awaits a call that must fail with a PontError, and returns the error for the test to look at. */
export async function failure(p: Promise<unknown>): Promise<PontError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(PontError);
  return e as PontError;
}
