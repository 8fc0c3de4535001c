import type { Progress } from '../engine/jobs/progress.ts';

// Made on first use: building an Intl formatter loads ICU data, a cost every CLI call would pay at start-up.
let intFormat: Intl.NumberFormat | undefined;
const fmtInt = (n: number): string => (intFormat ??= new Intl.NumberFormat('en-US')).format(n);

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** One line describing progress: the bar when a fraction is known, then counts, rate and ETA. */
export function formatProgress(p: Progress, width = 24): string {
  const fraction = p.bytesTotal ? (p.bytesDone ?? 0) / p.bytesTotal : p.total ? p.done / p.total : undefined;
  const parts: string[] = [p.phase];
  if (fraction !== undefined) {
    const filled = Math.round(Math.min(1, fraction) * width);
    parts.push(`[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%`);
  }
  parts.push(`${fmtInt(p.done)}${p.total !== undefined ? `/${fmtInt(p.total)}` : ''} ${p.unit}`);
  if (p.rate !== undefined) parts.push(`${fmtInt(Math.round(p.rate))} ${p.unit}/s`);
  if (p.etaSeconds !== undefined) parts.push(`ETA ${formatDuration(p.etaSeconds)}`);
  if (p.message) parts.push(p.message);
  return parts.join('  ');
}

/** Draws progress on one terminal line that rewrites itself; silent when the stream is not a terminal. */
export class ProgressBar {
  private readonly stream: NodeJS.WriteStream;
  private drawn = false;

  constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.stream = stream;
  }

  readonly update = (p: Progress): void => {
    if (!this.stream.isTTY) return;
    const cols = this.stream.columns || 100;
    this.stream.write(`\r${formatProgress(p).slice(0, cols - 1).padEnd(cols - 1)}`);
    this.drawn = true;
  };

  clear(): void {
    if (this.drawn) this.stream.write(`\r${' '.repeat((this.stream.columns || 100) - 1)}\r`);
    this.drawn = false;
  }
}
