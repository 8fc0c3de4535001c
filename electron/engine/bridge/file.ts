import type Database from 'better-sqlite3';
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { z } from 'zod';
import { PontError } from '../errors.ts';
import { bridgeAnalyzer, BRIDGE_ANALYZER } from './model.ts';
import { findBridge, getBridge, readChannel, readTable, writeTable, type BridgeInfo, type BridgeProvenance } from './store.ts';

/**
 * A bridge as a file a partner ships with a collection: JSON, versioned, with everything needed to judge and reuse
 * it (languages, training sets with fingerprints, parameters, analyser and version) and its word table.
 */
export const BRIDGE_FILE_FORMAT = 'pont-bridge';
export const BRIDGE_FILE_VERSION = 1;

const fileSchema = z.object({
  format: z.literal(BRIDGE_FILE_FORMAT),
  version: z.literal(BRIDGE_FILE_VERSION),
  name: z.string().min(1),
  from: z.string().min(1),
  to: z.string().min(1),
  params: z.record(z.string(), z.unknown()),
  provenance: z
    .object({
      method: z.string(),
      analyzer: z.object({ spec: z.string(), version: z.number().int() }),
      trainingSets: z.array(z.object({ name: z.string(), from: z.string(), to: z.string(), pairs: z.number().int(), fingerprint: z.string() })),
    })
    .passthrough(),
  createdAt: z.string(),
  /** Absent from files written before bridges learned it: such a bridge is searched without it. */
  lengths: z.object({ ratio: z.number().positive(), variance: z.number().positive(), pairs: z.number().positive(), meanHigh: z.number().positive().optional() }).nullable().optional(),
  words: z.array(z.tuple([z.string().min(1), z.array(z.tuple([z.string().min(1), z.number().min(0).max(1)])).min(1)])),
  /** Counts of final marks (high\tlow), see marks.ts; absent from files written before: searched without them. */
  marks: z.object({ counts: z.record(z.string().regex(/^[^\t]*\t[^\t]*$/), z.number().positive()) }).nullable().optional(),
  /** t(low | high) of the noisy-channel rerank ('' is NULL); absent from files written before: searched without it. */
  channel: z.array(z.tuple([z.string(), z.array(z.tuple([z.string().min(1), z.number().min(0).max(1)])).min(1)])).optional(),
});

export type BridgeFile = z.output<typeof fileSchema>;

export function exportBridge(db: Database.Database, name: string, path: string): { bridge: string; path: string; words: number } {
  const b = getBridge(db, name);
  if (b.state !== 'ready') throw new PontError('unavailable', 'bridge.training', { name }, [{ field: 'name', reason: 'training not finished' }]);
  const table = readTable(db, b.id);
  const channel = readChannel(db, b.id);
  const file: BridgeFile = {
    format: BRIDGE_FILE_FORMAT,
    version: BRIDGE_FILE_VERSION,
    name: b.name,
    from: b.from,
    to: b.to,
    params: b.params,
    provenance: b.provenance,
    createdAt: b.createdAt,
    lengths: b.lengths,
    marks: b.marks,
    words: [...table].map(([w, ts]) => [w, ts.map((t) => [t.target, t.p] as [string, number])]),
    ...(channel && { channel: [...channel].map(([h, ts]) => [h, [...ts]] as [string, [string, number][]]) }),
  };
  // Written whole then renamed: a reader never sees half a file.
  writeFileSync(`${path}.part`, `${JSON.stringify(file)}\n`);
  renameSync(`${path}.part`, path);
  return { bridge: b.name, path, words: table.size };
}

export function importBridge(db: Database.Database, path: string, name?: string): BridgeInfo {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new PontError('bad_data', 'bridge.not_file', { file: path, reason: (e as Error).message }, [{ file: path, reason: 'not JSON' }]);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ file: path, field: i.path.join('.') || '(file)', reason: i.message }));
    throw new PontError('bad_data', 'bridge.bad_file', { file: path, problems: details.slice(0, 5).map((d) => `${d.field}: ${d.reason}`).join('; ') }, details);
  }
  const f = parsed.data;
  const analyzer = bridgeAnalyzer();
  if (f.provenance.analyzer.spec !== BRIDGE_ANALYZER || f.provenance.analyzer.version !== analyzer.version) {
    throw new PontError('conflict', 'bridge.other_analyzer', { file: path, spec: f.provenance.analyzer.spec, version: f.provenance.analyzer.version, current: BRIDGE_ANALYZER, currentVersion: analyzer.version }, [
      { file: path, field: 'provenance.analyzer', reason: 'analyser differs' },
    ]);
  }
  const target = name ?? f.name;
  if (findBridge(db, target)) throw new PontError('conflict', 'bridge.import_exists', { name: target }, [{ field: 'name', reason: 'exists' }]);
  const provenance: BridgeProvenance = { ...(f.provenance as BridgeProvenance), importedFrom: path };
  db.transaction(() => {
    db.prepare("INSERT INTO bridges (name, from_lang, to_lang, state, params, provenance, iteration) VALUES (?, ?, ?, 'training', ?, ?, ?)").run(
      target,
      f.from,
      f.to,
      JSON.stringify(f.params),
      JSON.stringify(provenance),
      Number(f.params.iterations ?? 0),
    );
    const id = getBridge(db, target).id;
    writeTable(db, id, new Map(f.words.map(([w, ts]) => [w, ts.map(([target, p]) => ({ target, p }))])), { lengths: f.lengths ?? null, marks: f.marks ?? null, channel: f.channel ? new Map(f.channel.map(([h, ts]) => [h, new Map(ts)])) : null });
  })();
  return getBridge(db, target);
}
