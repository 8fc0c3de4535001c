import type Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import { PontError } from '../errors.ts';
import { CancelledError, ProgressMeter, type JobContext } from '../jobs/progress.ts';
import { getPairSet } from '../pairs/store.ts';
import { defaultLearnParams, type LearnParams } from './learn.ts';
import { BRIDGE_ANALYZER, bridgeAnalyzer } from './model.ts';
import { findBridge, getBridge, writeTable, type BridgeInfo, type BridgeProvenance } from './store.ts';
import type { TrainMessage, TrainTask } from './train-worker.ts';

export const BRIDGE_METHOD = 'ibm1-both-directions-averaged';

export interface TrainOptions {
  name: string;
  /** Training sets, pooled in this order. */
  pairs: string[];
  /** Default: the sets' languages when they agree, else their list (`ca,oc`). */
  from?: string | undefined;
  to?: string | undefined;
  params?: Partial<LearnParams>;
  /**
   * Seconds between checkpoints (default 10): writing both directions' tables after every iteration would cost more
   * than the iterations of a large set; a crash loses at most this much work. 0: after every iteration.
   */
  checkpointSeconds?: number;
}

function languages(values: string[]): string {
  return [...new Set(values)].join(',');
}

/**
 * Trains a bridge on training sets as a job: EM in a worker thread, the state after each iteration committed as a
 * checkpoint in the same transaction as the iteration count. Training an unfinished bridge again with the same sets
 * and parameters resumes after its last committed iteration; a finished one must be deleted first.
 */
export async function trainBridge(db: Database.Database, o: TrainOptions, job: JobContext): Promise<BridgeInfo> {
  if (o.pairs.length === 0) throw new PontError('invalid_input', 'bridge.no_pairs', {}, [{ field: 'pairs', reason: 'empty' }]);
  const params: LearnParams = { ...defaultLearnParams, ...o.params };
  const sets = o.pairs.map((n) => getPairSet(db, n));
  const analyzer = bridgeAnalyzer();
  const provenance: BridgeProvenance = {
    method: BRIDGE_METHOD,
    analyzer: { spec: BRIDGE_ANALYZER, version: analyzer.version },
    trainingSets: sets.map((s) => ({ name: s.name, from: s.from, to: s.to, pairs: s.pairs, fingerprint: s.fingerprint })),
  };
  const from = o.from ?? languages(sets.map((s) => s.from));
  const to = o.to ?? languages(sets.map((s) => s.to));
  let b = findBridge(db, o.name);
  if (b?.state === 'ready') {
    throw new PontError('conflict', 'bridge.exists', { name: o.name }, [{ field: 'name', reason: 'exists' }]);
  }
  if (b && (JSON.stringify(b.params) !== JSON.stringify(params) || JSON.stringify(b.provenance) !== JSON.stringify(provenance))) {
    throw new PontError('conflict', 'bridge.other_settings', { name: o.name }, [
      { field: 'name', reason: 'unfinished training with other options' },
    ]);
  }
  if (!b) {
    db.prepare("INSERT INTO bridges (name, from_lang, to_lang, state, params, provenance) VALUES (?, ?, ?, 'training', ?, ?)").run(
      o.name,
      from,
      to,
      JSON.stringify(params),
      JSON.stringify(provenance),
    );
    b = getBridge(db, o.name);
  }
  const id = b.id;
  const cp = db.prepare('SELECT forward, backward FROM bridge_checkpoints WHERE bridge_id = ?').get(id) as { forward: Uint8Array; backward: Uint8Array } | undefined;
  const asF64 = (u: Uint8Array) => new Float64Array(u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength));
  const task: TrainTask = {
    file: db.name,
    sets: o.pairs,
    params,
    highLanguages: new Set(sets.map((s) => s.to)).size,
    iteration: cp ? b.iteration : 0,
    forward: cp ? asF64(cp.forward) : null,
    backward: cp ? asF64(cp.backward) : null,
  };
  const meter = new ProgressMeter(job.progress);
  meter.update({ phase: 'reading pairs', done: 0, unit: 'pairs' }, true);
  const saveIteration = db.transaction((m: Extract<TrainMessage, { type: 'iteration' }>) => {
    db.prepare('INSERT OR REPLACE INTO bridge_checkpoints (bridge_id, forward, backward) VALUES (?, ?, ?)').run(id, Buffer.from(m.forward.buffer), Buffer.from(m.backward.buffer));
    db.prepare("UPDATE bridges SET iteration = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?").run(m.iteration, id);
  });
  const finish = db.transaction((m: Extract<TrainMessage, { type: 'done' }>) => {
    writeTable(db, id, new Map(m.table.map(([w, ts]) => [w, ts.map(([target, p]) => ({ target, p }))])), { lengths: m.lengths, marks: m.marks, channel: new Map(m.channel.map(([h, ts]) => [h, new Map(ts)])) });
    db.prepare('UPDATE bridges SET iteration = ? WHERE id = ?').run(params.iterations, id);
  });
  const checkpointMs = (o.checkpointSeconds ?? 10) * 1000;
  let lastSaved = performance.now();
  const worker = new Worker(new URL('./train-worker.ts', import.meta.url), { workerData: task });
  try {
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(new CancelledError('training the bridge'));
      if (job.signal.aborted) return onAbort();
      job.signal.addEventListener('abort', onAbort, { once: true });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`the training worker stopped (exit code ${code})`)));
      worker.on('message', (m: TrainMessage) => {
        if (job.signal.aborted) return;
        if (m.type === 'read') {
          meter.update({ phase: 'EM', done: task.iteration, total: params.iterations, unit: 'iterations', message: `${m.pairs} pairs, ${m.low} → ${m.high} words` }, true);
        } else if (m.type === 'iteration') {
          if (performance.now() - lastSaved >= checkpointMs) {
            saveIteration(m);
            lastSaved = performance.now();
          }
          meter.update({ phase: 'EM', done: m.iteration, total: params.iterations, unit: 'iterations', message: `log-likelihood ${m.logLikelihood.toFixed(0)}` }, true);
        } else if (m.type === 'done') {
          finish(m);
          resolve();
        } else {
          reject(new PontError('bad_data', 'bridge.training_failed', { name: o.name, reason: m.error }, [{ field: 'pairs', reason: m.error }]));
        }
      });
    });
  } finally {
    await worker.terminate();
  }
  meter.update({ phase: 'done', done: params.iterations, total: params.iterations, unit: 'iterations' }, true);
  return getBridge(db, o.name);
}
