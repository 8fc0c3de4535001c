import type Database from 'better-sqlite3';
import type { Workspace } from '../../store/workspace.ts';
import type { PackItem, PackPart } from '../manifest.ts';

/** A part written by an export, before it is hashed into the pack. */
export interface ExportedPart {
  file: string;
  format: PackPart['format'];
  target?: string;
}

export interface ExportedItem {
  name: string;
  title: string;
  meta: Record<string, unknown>;
  parts: ExportedPart[];
}

/** A verified part on the local disk during installation; a SQLite part's tables are read as `${tables}NAME` (an attached staging database with a per-part prefix). */
export interface StagedPart {
  part: PackPart;
  file: string;
  tables?: string;
}

/**
 * One kind of thing a pack can carry. Each kind is a small module: it writes its item's parts, says whether an
 * item of that name is already in the workspace, and installs or removes one inside the caller's transaction.
 */
export interface ItemKind {
  kind: string;
  /** Installation order: kinds that others refer to (collections) come first. */
  order: number;
  /** The CLI option and the contract field that choose items of this kind. */
  option: string;
  export(ws: Workspace, name: string, dir: string): ExportedItem | Promise<ExportedItem>;
  exists(db: Database.Database, name: string): boolean;
  /** Items this one needs, by kind and name, which must be in the workspace or in the same pack. */
  needs?(item: PackItem): { kind: string; name: string }[];
  /** Runs inside the installation's transaction; may move staged files (they are the installation's own). */
  install(ws: Workspace, item: PackItem, parts: StagedPart[]): void;
  /** Runs inside a transaction (for --replace and pack remove). */
  remove(ws: Workspace, name: string): void;
}

/** Runs `write` in one transaction with a new SQLite part file attached as `pk`, so a kind's export is one SQL copy. */
export function writeSqlitePart(db: Database.Database, file: string, write: () => void): void {
  db.prepare('ATTACH ? AS pk').run(file);
  try {
    db.transaction(write)();
  } finally {
    db.exec('DETACH pk');
  }
}
