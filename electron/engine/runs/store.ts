import type Database from 'better-sqlite3';
import { gunzipSync } from 'node:zlib';
import pkg from '../../../package.json' with { type: 'json' };
import { PontError } from '../errors.ts';
import { markDuplicates, parseRun, rankOrder, type Run } from '../eval/run.ts';
import { decodeRun, encodeRun, isEncodedRun } from './codec.ts';
import './runs-schema.ts';

/** Where a run came from: enough to reproduce it, or to know it cannot be. */
export interface RunProvenance {
  /** The pipeline declaration, e.g. `{"bm25": {"index": "words-fr"}}`, and its printable label. */
  pipeline?: unknown;
  label?: string;
  /** What the stages reported about themselves (parameters, index, analyser, model and their versions). */
  stages?: Record<string, unknown>;
  index?: string;
  analyser?: string;
  model?: string;
  collection?: string;
  querySet?: string;
  /** A run imported from a file records the file. */
  importedFrom?: string;
  /** The experiment that produced it, when one did. */
  experiment?: string;
  date: string;
  softwareVersion: string;
}

export interface StoredRunSummary {
  name: string;
  runid: string;
  collection: string | null;
  querySet: string | null;
  label: string | null;
  queries: number;
  hits: number;
  createdAt: string;
  provenance: RunProvenance;
}

export const softwareVersion = `pont ${pkg.version}`;

/** TREC run text in trec_eval's order, ranks numbered from 1, so that any tool reads the same ranking. */
export function formatRun(run: Run): string {
  const parts: string[] = [];
  for (const [qid, q] of run.queries) {
    const order = rankOrder(q);
    for (let i = 0; i < order.length; i++) {
      const k = order[i]!;
      const s = q.scores[k]!;
      parts.push(`${qid} Q0 ${q.docnos[k]} ${i + 1} ${Number.isFinite(s) ? String(s) : s > 0 ? '1e309' : '-1e309'} ${run.runid}\n`);
    }
  }
  return parts.join('');
}

function provenanceFind(stages: Record<string, unknown> | undefined, key: string): string | undefined {
  if (!stages) return undefined;
  const v = stages[key];
  return typeof v === 'string' ? v : undefined;
}

export function makeProvenance(p: Omit<RunProvenance, 'date' | 'softwareVersion'>): RunProvenance {
  const index = p.index ?? provenanceFind(p.stages, 'index');
  const analyser = p.analyser ?? provenanceFind(p.stages, 'analyser');
  const model = p.model ?? provenanceFind(p.stages, 'model');
  return {
    ...p,
    ...(index ? { index } : {}),
    ...(analyser ? { analyser } : {}),
    ...(model ? { model } : {}),
    date: new Date().toISOString(),
    softwareVersion,
  };
}

/** Stores a run under a name (replacing a run of that name when `replace`), with its provenance. */
export function saveRun(db: Database.Database, name: string, run: Run, provenance: RunProvenance, replace = false): StoredRunSummary {
  if (/\s/.test(run.runid) || run.runid === '') run.runid = name;
  const exists = db.prepare('SELECT id FROM runs WHERE name = ?').pluck().get(name) as number | undefined;
  if (exists !== undefined && !replace) {
    throw new PontError('conflict', 'run.exists', { name }, [{ field: 'name', reason: 'already exists; choose another name or replace it' }]);
  }
  let hits = 0;
  for (const q of run.queries.values()) hits += q.docnos.length;
  const content = encodeRun(run);
  db.transaction(() => {
    if (exists !== undefined) db.prepare('DELETE FROM runs WHERE id = ?').run(exists);
    db.prepare(
      `INSERT INTO runs (name, runid, collection, query_set, pipeline, label, provenance, software_version, queries, hits, content)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      name,
      run.runid,
      provenance.collection ?? null,
      provenance.querySet ?? null,
      provenance.pipeline === undefined ? null : JSON.stringify(provenance.pipeline),
      provenance.label ?? null,
      JSON.stringify(provenance),
      provenance.softwareVersion,
      run.queries.size,
      hits,
      content,
    );
  })();
  return getRunSummary(db, name);
}

interface RunRow {
  name: string;
  runid: string;
  collection: string | null;
  query_set: string | null;
  label: string | null;
  queries: number;
  hits: number;
  created_at: string;
  provenance: string;
}

const toSummary = (r: RunRow): StoredRunSummary => ({
  name: r.name,
  runid: r.runid,
  collection: r.collection,
  querySet: r.query_set,
  label: r.label,
  queries: r.queries,
  hits: r.hits,
  createdAt: r.created_at,
  provenance: JSON.parse(r.provenance) as RunProvenance,
});

const summaryColumns = 'name, runid, collection, query_set, label, queries, hits, created_at, provenance';

export function findRun(db: Database.Database, name: string): StoredRunSummary | undefined {
  const row = db.prepare(`SELECT ${summaryColumns} FROM runs WHERE name = ?`).get(name) as RunRow | undefined;
  return row ? toSummary(row) : undefined;
}

export function getRunSummary(db: Database.Database, name: string): StoredRunSummary {
  const r = findRun(db, name);
  if (!r) throw new PontError('not_found', 'run.missing', { name }, [{ field: 'run', reason: `"${name}" does not exist` }]);
  return r;
}

export function listRuns(db: Database.Database): StoredRunSummary[] {
  return (db.prepare(`SELECT ${summaryColumns} FROM runs ORDER BY created_at DESC, name`).all() as RunRow[]).map(toSummary);
}

function runContent(db: Database.Database, name: string): Buffer {
  const content = db.prepare('SELECT content FROM runs WHERE name = ?').pluck().get(name) as Buffer | undefined;
  if (!content) throw new PontError('not_found', 'run.missing', { name }, [{ field: 'run', reason: `"${name}" does not exist` }]);
  return content;
}

/** A stored run as TREC text; runs stored before the compact codec are gzip text and come back as they were. */
export function runText(db: Database.Database, name: string): string {
  const content = runContent(db, name);
  return isEncodedRun(content) ? formatRun(decodeRun(content, `run ${name}`)) : gunzipSync(content).toString('utf8');
}

export function loadRun(db: Database.Database, name: string): Run {
  const content = runContent(db, name);
  return isEncodedRun(content) ? markDuplicates(decodeRun(content, `run ${name}`)) : parseRun(gunzipSync(content).toString('utf8'), `run ${name}`);
}

export function deleteRun(db: Database.Database, name: string): void {
  getRunSummary(db, name);
  db.prepare('DELETE FROM runs WHERE name = ?').run(name);
}

/** Records an evaluation of a stored run, so a reported number keeps its measures, qrels and options. */
export function saveEvaluation(
  db: Database.Database,
  run: string,
  e: { qrels: string; options: unknown; measures: string[]; summary: Record<string, number>; perQuery: unknown },
): number {
  const id = db.prepare('SELECT id FROM runs WHERE name = ?').pluck().get(run) as number | undefined;
  if (id === undefined) throw new PontError('not_found', 'run.missing', { name: run }, [{ field: 'run', reason: `"${run}" does not exist` }]);
  return Number(
    db
      .prepare('INSERT INTO evaluations (run_id, qrels, options, measures, summary, per_query, software_version) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, e.qrels, JSON.stringify(e.options), JSON.stringify(e.measures), JSON.stringify(e.summary), JSON.stringify(e.perQuery), softwareVersion)
      .lastInsertRowid,
  );
}
