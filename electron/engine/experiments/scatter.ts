/**
 * A per-query scatter plot as standalone SVG: system x against system y on one measure, one dot per query, with
 * the diagonal. Dots above it are queries y does better on. Overlapping dots darken rather than being jittered, so
 * the picture shows the exact values.
 */
export interface ScatterInput {
  title: string;
  /** The systems' names (for "x better") and the axis labels. */
  xName: string;
  yName: string;
  xLabel: string;
  yLabel: string;
  x: readonly number[];
  y: readonly number[];
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function scatterSvg(p: ScatterInput, size = 420): string {
  const margin = { left: 56, right: 16, top: 36, bottom: 48 };
  const w = size;
  const h = size;
  const pw = w - margin.left - margin.right;
  const ph = h - margin.top - margin.bottom;
  const max = Math.max(1, ...p.x, ...p.y);
  const sx = (v: number) => margin.left + (v / max) * pw;
  const sy = (v: number) => margin.top + ph - (v / max) * ph;
  let above = 0;
  let below = 0;
  for (let i = 0; i < p.x.length; i++) {
    if (p.y[i]! > p.x[i]! + 1e-12) above++;
    else if (p.y[i]! < p.x[i]! - 1e-12) below++;
  }
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => t * max);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="11">`,
    `<title>${esc(p.title)}</title>`,
    `<rect width="${w}" height="${h}" fill="white"/>`,
    `<text x="${w / 2}" y="18" text-anchor="middle" font-size="13">${esc(p.title)}</text>`,
    `<rect x="${margin.left}" y="${margin.top}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`,
  ];
  for (const t of ticks) {
    const label = Number(t.toFixed(2)).toString();
    parts.push(
      `<line x1="${sx(t)}" y1="${margin.top + ph}" x2="${sx(t)}" y2="${margin.top + ph + 4}" stroke="#888"/>`,
      `<text x="${sx(t)}" y="${margin.top + ph + 16}" text-anchor="middle">${label}</text>`,
      `<line x1="${margin.left - 4}" y1="${sy(t)}" x2="${margin.left}" y2="${sy(t)}" stroke="#888"/>`,
      `<text x="${margin.left - 7}" y="${sy(t) + 4}" text-anchor="end">${label}</text>`,
    );
  }
  parts.push(`<line x1="${sx(0)}" y1="${sy(0)}" x2="${sx(max)}" y2="${sy(max)}" stroke="#c33" stroke-dasharray="4 3"/>`);
  parts.push('<g fill="#1f5fa8" fill-opacity="0.25">');
  for (let i = 0; i < p.x.length; i++) parts.push(`<circle cx="${sx(p.x[i]!).toFixed(1)}" cy="${sy(p.y[i]!).toFixed(1)}" r="3"/>`);
  parts.push('</g>');
  parts.push(
    `<text x="${margin.left + 6}" y="${margin.top + 14}">${above} queries above the diagonal (${esc(p.yName)} better)</text>`,
    `<text x="${margin.left + pw - 6}" y="${margin.top + ph - 8}" text-anchor="end">${below} below (${esc(p.xName)} better), ${p.x.length - above - below} on it</text>`,
    `<text x="${margin.left + pw / 2}" y="${h - 10}" text-anchor="middle">${esc(p.xLabel)}</text>`,
    `<text transform="translate(14 ${margin.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(p.yLabel)}</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}
