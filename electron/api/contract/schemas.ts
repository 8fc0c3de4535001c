import { z } from 'zod';

/** Shared input shapes, so every method names things the same way. */

// BCP-47: a primary language subtag, then optional subtags (script, region, variants such as `valencia`).
export const langTag = z
  .string()
  .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'must be a BCP-47 language tag such as fr, oc, ca-valencia')
  .transform((s) => s.toLowerCase());

export const name = z
  .string()
  .min(1, 'must not be empty')
  .max(100)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u, 'may hold letters, digits, ".", "_" and "-", starting with a letter or digit');

export const path = z.string().min(1, 'must not be empty');
