import { z } from 'zod';
import { defineMethod } from '../define.ts';
import { langTag, name, path } from './schemas.ts';
import type { BuildPackReport } from '../../engine/packs/build.ts';
import type { InstallReport } from '../../engine/packs/install.ts';
import type { InstalledPack } from '../../engine/packs/store.ts';
import type { VerifyReport } from '../../engine/packs/verify.ts';

export type { BuildPackReport, InstallReport, InstalledPack, VerifyReport };

const names = z.array(name).default([]);
const keyFiles = z.array(path).default([]);
const perItem = z.record(z.string(), z.string()).default({});

export const packMethods = {
  'pack.build': defineMethod({
    summary: 'Write a content pack: collections with their indexes, query sets with qrels, bridges and models, with a manifest of checksums, optionally signed',
    job: true,
    input: z.object({
      output: path,
      name: name.optional(),
      title: z.string().max(200).optional(),
      licence: z.string().max(500).optional(),
      description: z.string().max(5000).optional(),
      collections: names,
      queries: names,
      bridges: names,
      models: names,
      /** Per item name: its title and licence (default: its description, and the pack's licence). */
      itemTitles: perItem,
      itemLicences: perItem,
      language: langTag.optional(),
      variety: langTag.optional(),
      sign: path.optional(),
    }),
  }).returns<BuildPackReport>(),

  'pack.verify': defineMethod({
    summary: 'Check a pack without installing it: manifest, signature and the sha256 of every part',
    job: true,
    input: z.object({ path, trust: keyFiles }),
  }).returns<VerifyReport>(),

  'pack.install': defineMethod({
    summary: 'Install a content pack file, or every pack in a folder (USB stick, shared folder): each verified, atomic, resumable',
    job: true,
    input: z.object({ path, replace: z.boolean().default(false), trust: keyFiles, allowUntrusted: z.boolean().default(false) }),
  }).returns<InstallReport[]>(),

  'pack.list': defineMethod({
    summary: 'List installed content packs and what each installed',
    input: z.object({}).default({}),
  }).returns<InstalledPack[]>(),

  'pack.remove': defineMethod({
    summary: 'Remove an installed pack and the items it installed',
    input: z.object({ name }),
  }).returns<{ removed: string; items: { kind: string; name: string }[] }>(),

  'pack.defaults': defineMethod({
    summary: 'The interface language and variety that installed packs chose for this workspace (for a first start)',
    input: z.object({}).default({}),
  }).returns<{ language?: string; variety?: string }>(),

  'pack.keygen': defineMethod({
    summary: 'Make an Ed25519 key pair for signing packs: BASE.key (keep it secret) and BASE.pub (give it out)',
    input: z.object({ output: path }),
  }).returns<{ privateKey: string; publicKey: string; keyId: string }>(),
};
