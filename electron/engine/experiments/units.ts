import type Database from 'better-sqlite3';
import type { SystemResult } from './runner.ts';
import './schema.ts';

/** A finished (query set, system) unit of an experiment, as stored for resuming. */
export interface StoredUnit {
  unitKey: string;
  qids: string[];
  system: SystemResult;
}

interface UnitRow {
  unit_key: string;
  qids: string;
  result: string;
  per_query: Buffer;
}

/** Per-query values as float64, measure after measure, in the order of `qids`. */
function packPerQuery(perQuery: Record<string, number[]>, measures: string[], queries: number): Buffer {
  const out = new Float64Array(measures.length * queries);
  measures.forEach((m, i) => out.set(perQuery[m]!, i * queries));
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

function unpackPerQuery(blob: Buffer, measures: string[], queries: number): Record<string, number[]> {
  const values = new Float64Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
  return Object.fromEntries(measures.map((m, i) => [m, Array.from(values.subarray(i * queries, (i + 1) * queries))]));
}

export class ExperimentUnits {
  private readonly db: Database.Database;
  private readonly experiment: string;

  constructor(db: Database.Database, experiment: string) {
    this.db = db;
    this.experiment = experiment;
  }

  /** The unit as finished earlier, when its key still matches. */
  find(querySet: string, system: string, unitKey: string, measures: string[]): StoredUnit | undefined {
    const row = this.db
      .prepare('SELECT unit_key, qids, result, per_query FROM experiment_units WHERE experiment = ? AND query_set = ? AND system = ?')
      .get(this.experiment, querySet, system) as UnitRow | undefined;
    if (!row || row.unit_key !== unitKey) return undefined;
    const qids = JSON.parse(row.qids) as string[];
    const result = JSON.parse(row.result) as Omit<SystemResult, 'perQuery'>;
    return { unitKey, qids, system: { ...result, perQuery: unpackPerQuery(row.per_query, measures, qids.length) } };
  }

  /** The name of the stored run of a finished unit whose system computes `stageKey` on this query set, if any. */
  storedRun(querySet: string, stageKey: string): string | undefined {
    return this.db
      .prepare(
        `SELECT r.name FROM experiment_units u JOIN runs r ON r.id = u.run_id
         WHERE u.experiment = ? AND u.query_set = ? AND u.stage_key = ? LIMIT 1`,
      )
      .pluck()
      .get(this.experiment, querySet, stageKey) as string | undefined;
  }

  /** Records a finished unit; call inside the transaction that stores its run. */
  save(querySet: string, unitKey: string, stageKey: string, runId: number | null, qids: string[], system: SystemResult, measures: string[]): void {
    const { perQuery, ...result } = system;
    this.db
      .prepare(
        `INSERT OR REPLACE INTO experiment_units (experiment, query_set, system, unit_key, stage_key, run_id, qids, result, per_query)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(this.experiment, querySet, system.name, unitKey, stageKey, runId, JSON.stringify(qids), JSON.stringify(result), packPerQuery(perQuery, measures, qids.length));
  }

  /** Forgets the experiment's units: it completed, and running it again computes everything afresh. */
  clear(): void {
    this.db.prepare('DELETE FROM experiment_units WHERE experiment = ?').run(this.experiment);
  }
}
