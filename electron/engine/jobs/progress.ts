/** What long work (import, indexing, encoding, training, evaluation) reports while it runs. */
export interface Progress {
  /** What is being done now, e.g. "reading", "indexing", "merging". */
  phase: string;
  /** Units done so far (records, documents, queries…) and, when known, the total. */
  done: number;
  total?: number;
  unit: string;
  /** Bytes of input consumed and the input's size, when the work reads a file. */
  bytesDone?: number;
  bytesTotal?: number;
  /** Units per second since the work started, and the estimated seconds left. */
  rate?: number;
  etaSeconds?: number;
  message?: string;
}

export type ProgressListener = (p: Progress) => void;

/** Passed to every long-running operation: where to report progress, and how it learns it is cancelled. */
export interface JobContext {
  signal: AbortSignal;
  progress: ProgressListener;
}

export class CancelledError extends Error {
  constructor(what = 'the operation') {
    super(`${what} was cancelled`);
    this.name = 'CancelledError';
  }
}

export function throwIfCancelled(signal: AbortSignal, what?: string): void {
  if (signal.aborted) throw new CancelledError(what);
}

export const noJob: JobContext = { signal: new AbortController().signal, progress: () => {} };

/**
 * Turns raw counters into progress events with a rate and an ETA, and throttles them: a 10 GB import must not spend
 * its time printing. The ETA prefers bytes over units because a file's size is known before its record count.
 */
export class ProgressMeter {
  private readonly started = performance.now();
  private lastEmit = 0;
  private readonly listener: ProgressListener;
  private readonly intervalMs: number;

  constructor(listener: ProgressListener, intervalMs = 200) {
    this.listener = listener;
    this.intervalMs = intervalMs;
  }

  update(p: Omit<Progress, 'rate' | 'etaSeconds'>, force = false): void {
    const now = performance.now();
    if (!force && now - this.lastEmit < this.intervalMs) return;
    this.lastEmit = now;
    const seconds = Math.max((now - this.started) / 1000, 1e-3);
    const rate = p.done / seconds;
    let etaSeconds: number | undefined;
    if (p.bytesTotal && p.bytesDone) {
      etaSeconds = ((p.bytesTotal - p.bytesDone) * seconds) / p.bytesDone;
    } else if (p.total !== undefined && rate > 0) {
      etaSeconds = (p.total - p.done) / rate;
    }
    this.listener({ ...p, rate, ...(etaSeconds !== undefined ? { etaSeconds } : {}) });
  }
}
