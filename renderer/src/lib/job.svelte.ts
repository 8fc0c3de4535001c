import { ApiError, type Progress } from './api.ts';

/** One piece of long work started from the interface: its progress, its outcome, and a way to cancel it. */
export class Job<T> {
  running = $state(false);
  progress = $state<Progress | null>(null);
  result = $state<T | null>(null);
  error = $state<ApiError | null>(null);
  cancelled = $state(false);
  private abort: AbortController | null = null;

  async run(work: (signal: AbortSignal, onProgress: (p: Progress) => void) => Promise<T>): Promise<T | null> {
    this.abort = new AbortController();
    this.running = true;
    this.progress = null;
    this.result = null;
    this.error = null;
    this.cancelled = false;
    try {
      this.result = await work(this.abort.signal, (p) => (this.progress = p));
      return this.result;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'cancelled') this.cancelled = true;
      else this.error = e instanceof ApiError ? e : new ApiError({ code: 'internal', message: (e as Error).message });
      return null;
    } finally {
      this.running = false;
      this.abort = null;
    }
  }

  cancel(): void {
    this.abort?.abort();
  }
}
