import { z } from 'zod';

/** manifest.json, the first member of a pack: what the pack holds and the sha256 of every part. */

export const PACK_FORMAT = 'pont-pack';
export const PACK_VERSION = 1;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hex digits');

export const partSchema = z.object({
  /** Member name in the tar file, e.g. parts/01-collection.sqlite. */
  path: z.string().regex(/^parts\/[A-Za-z0-9._-]+$/, 'must be parts/NAME'),
  /** sqlite: a SQLite file attached during installation; file: bytes copied as they are (model weights). */
  format: z.enum(['sqlite', 'file']),
  sha256,
  bytes: z.number().int().min(0),
  /** Where a 'file' part goes inside its item (a model's relative file path). */
  target: z.string().optional(),
});

export const itemSchema = z.object({
  kind: z.string().min(1),
  name: z.string().min(1).max(100),
  title: z.string(),
  licence: z.string().optional(),
  /** What the item's kind needs to install it without reading the parts (a collection's language, a model's manifest…). */
  meta: z.record(z.string(), z.unknown()).default({}),
  parts: z.array(partSchema),
});

export const manifestSchema = z.object({
  format: z.literal(PACK_FORMAT),
  version: z.literal(PACK_VERSION),
  name: z.string().regex(/^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u).max(100),
  title: z.string(),
  licence: z.string().optional(),
  description: z.string().optional(),
  /** The interface language and the variety a user of this pack most likely writes in. */
  defaults: z.object({ language: z.string().optional(), variety: z.string().optional() }).default({}),
  created: z.string(),
  software: z.string(),
  items: z.array(itemSchema),
});

export type PackPart = z.infer<typeof partSchema>;
export type PackItem = z.infer<typeof itemSchema>;
export type PackManifest = z.infer<typeof manifestSchema>;
