// Runs a bridge's EM off the main thread: reads the training sets through its own read-only connection, resumes
// from the checkpoint it is given, and posts both directions' probabilities after every iteration so that the main
// thread (SQLite's one writer) can commit them as the checkpoint. The last message carries the finished table.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { readPairs } from '../pairs/store.ts';
import { channelTable } from './channel.ts';
import { emIteration, startEm, tableOf } from './ibm1.ts';
import { buildCorpora, keptPerWord, symmetrise, type LearnParams } from './learn.ts';
import type { LengthModel } from './length.ts';
import type { MarkModel } from './marks.ts';
import { bridgeAnalyzer } from './model.ts';

export interface TrainTask {
  file: string;
  sets: string[];
  params: LearnParams;
  /** How many high languages the sets translate into. */
  highLanguages: number;
  /** The iteration the checkpoint holds (0: none) and its probabilities. */
  iteration: number;
  forward: Float64Array | null;
  backward: Float64Array | null;
}

export type TrainMessage =
  | { type: 'read'; pairs: number; low: number; high: number }
  | { type: 'iteration'; iteration: number; logLikelihood: number; forward: Float64Array; backward: Float64Array }
  | { type: 'done'; table: [string, [string, number][]][]; lengths: LengthModel | null; marks: MarkModel | null; channel: [string, [string, number][]][] }
  | { type: 'error'; error: string };

const task = workerData as TrainTask;
const post = (m: TrainMessage, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);

try {
  const db = new Database(task.file, { readonly: true, timeout: 10_000 });
  const analyzer = bridgeAnalyzer();
  const pairs = (function* () {
    for (const s of task.sets) yield* readPairs(db, s);
  })();
  const c = buildCorpora(pairs, analyzer, task.params);
  db.close();
  post({ type: 'read', pairs: c.forward.src.length, low: c.low.length, high: c.high.length });
  const fwd = startEm(c.forward);
  const bwd = startEm(c.backward);
  if (task.forward && task.backward) {
    if (task.forward.length !== fwd.prob.length || task.backward.length !== bwd.prob.length) {
      throw new Error('the checkpoint does not fit the training sets (they changed since training began): delete the bridge and train again');
    }
    fwd.prob.set(task.forward);
    bwd.prob.set(task.backward);
    fwd.iteration = bwd.iteration = task.iteration;
  }
  while (fwd.iteration < task.params.iterations) {
    const ll = emIteration(c.forward, fwd, task.params.diagonal);
    emIteration(c.backward, bwd, task.params.diagonal);
    post({ type: 'iteration', iteration: fwd.iteration, logLikelihood: ll, forward: fwd.prob.slice(), backward: bwd.prob.slice() });
  }
  const table = symmetrise(tableOf(fwd), tableOf(bwd), c, { ...task.params, top: keptPerWord(task.params.top, task.highLanguages) });
  post({ type: 'done', table: [...table].map(([w, ts]) => [w, ts.map((t) => [t.target, t.p] as [string, number])]), lengths: c.lengths, marks: c.marks, channel: [...channelTable(tableOf(bwd), c.high, c.low)].map(([h, ts]) => [h, [...ts]]) });
} catch (e) {
  post({ type: 'error', error: (e as Error).message });
}
