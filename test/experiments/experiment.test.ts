import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { tempDir, tempEngine } from '../helpers/workspace.ts';
import { buildPipeline, registerStageKind } from '../../electron/engine/pipeline/registry.ts';
import { noJob } from '../../electron/engine/jobs/progress.ts';
import type { ExperimentResult } from '../../electron/engine/experiments/runner.ts';
import { evaluate } from '../../electron/engine/eval/evaluate.ts';
import { parseMeasure } from '../../electron/engine/eval/measure.ts';
import { readQrels } from '../../electron/engine/eval/qrels.ts';
import { readRun } from '../../electron/engine/eval/run.ts';
import { pairedTTest, pairedRandomisationTest } from '../../electron/engine/stats/paired.ts';
import { bonferroni, holm } from '../../electron/engine/stats/correction.ts';
import { renderExperiment } from '../../electron/engine/experiments/table.ts';
import { PontError } from '../../electron/engine/errors.ts';

// A stage whose ranking depends on the query text: the words of the text are the documents it returns, in order.
// Enough to make two varieties of the same topic behave differently.
registerStageKind('test-echo', z.object({}), () => ({
  label: 'echo',
  provenance: { kind: 'test-echo' },
  async run(queries) {
    return new Map(queries.map((q) => [q.qid, q.text.split(/\s+/).filter(Boolean).map((docId, i) => ({ docId, score: 100 - i }))]));
  },
}));

let counted = 0;
registerStageKind('test-count', z.object({}), () => ({
  label: 'count',
  provenance: { kind: 'test-count' },
  async run(queries) {
    counted++;
    return new Map(queries.map((q) => [q.qid, [{ docId: `rel-${q.qid}`, score: 1 }]]));
  },
}));

/** 24 queries; system A finds the relevant document at rank 1 (rank 2 on every sixth query), system B at rank 3. */
function fixture(dir: string) {
  const qids = Array.from({ length: 24 }, (_, i) => `t${String(i + 1).padStart(2, '0')}`);
  let a = '';
  let b = '';
  let qrels = '';
  qids.forEach((q, i) => {
    qrels += `${q} 0 rel-${q} 1\n${q} 0 other-${q} 0\n`;
    const aFirst = i % 6 !== 0;
    a += `${q} Q0 ${aFirst ? `rel-${q}` : `other-${q}`} 1 10 A\n${q} Q0 ${aFirst ? `other-${q}` : `rel-${q}`} 2 9 A\n`;
    b += `${q} Q0 other-${q} 1 3.5 B\n${q} Q0 x-${q} 2 2.0 B\n${q} Q0 rel-${q} 3 1.5 B\n`;
  });
  writeFileSync(join(dir, 'a.run'), a);
  writeFileSync(join(dir, 'b.run'), b);
  writeFileSync(join(dir, 'topics.qrels'), qrels);
  // Two varieties asking the same topics: in "fr" the relevant document comes first, in "ca" second for half of them.
  writeFileSync(join(dir, 'fr.tsv'), qids.map((q) => `${q}\trel-${q} other-${q}`).join('\n'));
  writeFileSync(join(dir, 'ca.tsv'), qids.map((q, i) => `${q}\t${i % 2 ? `other-${q} rel-${q}` : `rel-${q} other-${q}`}`).join('\n'));
  return qids;
}

describe('experiments', () => {
  it('run systems, compare with the baseline, and write table, CSV, JSON, LaTeX and plots', async () => {
    const engine = tempEngine();
    engine.workspace.db.prepare("INSERT INTO collections (name, lang) VALUES ('docs', 'fr')").run();
    const dir = tempDir();
    fixture(dir);
    const file = join(dir, 'exp.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'toy',
        collection: 'docs',
        querySets: [
          { name: 'fr', queries: 'fr.tsv', qrels: 'topics.qrels' },
          { name: 'ca', queries: 'ca.tsv', qrels: 'topics.qrels' },
        ],
        systems: {
          A: { run: { file: join(dir, 'a.run') } },
          B: { run: { file: join(dir, 'b.run') } },
          'A+B': { fuse: { systems: [{ run: { file: join(dir, 'a.run') } }, { run: { file: join(dir, 'b.run') } }], folds: 3, measure: 'RR@10' } },
          rrf: { rrf: { systems: [{ run: { file: join(dir, 'a.run') } }, { run: { file: join(dir, 'b.run') } }] } },
          echo: { 'test-echo': {} },
        },
        measures: ['RR@10', 'nDCG@10', 'P@1'],
        baseline: 'B',
        correction: 'holm',
        output: 'out',
        varieties: ['fr', 'ca'],
      }),
    );
    const progress: string[] = [];
    const r: ExperimentResult = await engine.call('experiment.run', { file }, { onProgress: (p) => progress.push(p.phase) });
    expect(progress.length).toBeGreaterThan(0);

    // Means and per-query values are exactly what evaluating the run files gives.
    const qrels = readQrels(join(dir, 'topics.qrels'));
    const direct = evaluate(readRun(join(dir, 'a.run')), qrels, [parseMeasure('RR@10')], { complete: true });
    const fr = r.querySets.find((s) => s.name === 'fr')!;
    const sysA = fr.systems.find((s) => s.name === 'A')!;
    expect(sysA.means['RR@10']).toBe(direct.summary[0]);
    expect(sysA.perQuery['RR@10']).toEqual(Array.from(direct.values[0]!));
    expect(fr.qids).toEqual(direct.queries);
    // The runs it stored, one per query set, read back by another pipeline (per query set, as a bridge is named).
    const storedA = buildPipeline({ run: { name: 'toy.A.{querySet}' } });
    const asked = [{ qid: fr.qids[0]!, text: '' }];
    const ctx = { ...noJob, workspace: engine.workspace, collection: 'docs' };
    expect(await storedA.run(asked, { ...ctx, querySet: 'fr' })).toEqual(await buildPipeline({ run: { file: join(dir, 'a.run') } }).run(asked, ctx));

    // Comparisons: the reported p-values are the tests on the per-query values, corrected with Holm over the family.
    const b = fr.systems.find((s) => s.name === 'B')!;
    const rows = fr.comparisons.filter((c) => c.measure === 'RR@10');
    expect(rows.map((c) => c.system)).toEqual(['A', 'A+B', 'rrf', 'echo']);
    const rowA = rows[0]!;
    expect(rowA.tTestP).toBe(pairedTTest(sysA.perQuery['RR@10']!, b.perQuery['RR@10']!).p);
    expect(rowA.randomisationP).toBe(pairedRandomisationTest(sysA.perQuery['RR@10']!, b.perQuery['RR@10']!, { permutations: 10_000, seed: 42 }).p);
    expect(rows.map((c) => c.adjustedP)).toEqual(holm(rows.map((c) => c.randomisationP)));
    expect(rowA.wins + rowA.ties + rowA.losses).toBe(24);
    expect(rowA).toMatchObject({ wins: 24, ties: 0, losses: 0, significant: true }); // A: 1 or 1/2 against B's 1/3
    expect(rowA.delta).toBeCloseTo(sysA.means['RR@10']! - b.means['RR@10']!, 15);

    // Fusion reports the α of each fold, tuned on the other folds.
    const fused = fr.systems.find((s) => s.name === 'A+B')!;
    expect(fused.crossValidation).toHaveLength(3);
    expect(fused.crossValidation!.reduce((n, f) => n + f.queries, 0)).toBe(24);

    // Varieties: the same topics, fr against ca, per query; ca loses RR on the 12 topics where the document is second.
    expect(r.varieties!.pairs).toHaveLength(24);
    expect(r.varieties!.pairs[0]).toEqual(['t01', 't01']);
    const echo = r.varieties!.comparisons.find((c) => c.system === 'echo' && c.measure === 'RR@10')!;
    expect(echo).toMatchObject({ reference: 1, mean: 0.75, wins: 0, ties: 12, losses: 12 });
    const runOnly = r.varieties!.comparisons.find((c) => c.system === 'A' && c.measure === 'RR@10')!;
    expect(runOnly).toMatchObject({ delta: 0, ties: 24 }); // a run file answers the same whatever the variety

    // Files.
    const out = join(dir, 'out');
    for (const f of ['results.csv', 'per-query.csv', 'results.json', 'table.txt', 'table-fr.tex', 'table-ca.tex', 'scatter-fr-B-vs-A.svg']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const csv = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('collection,query_set,system,measure,mean,baseline_mean,delta,relative,t_test_p,randomisation_p,adjusted_p,significant,wins,ties,losses,queries');
    expect(csv).toHaveLength(1 + 2 * 5 * 3);
    expect(readFileSync(join(out, 'per-query.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 2 * 5 * 3 * 24);
    const texTable = readFileSync(join(out, 'table-fr.tex'), 'utf8');
    expect(texTable).toContain('\\toprule');
    expect(texTable).toMatch(/^echo & \\textbf\{1\.0000\}\$\^\\dagger\$/m);
    expect(texTable).toContain('A & 0.9167$^\\dagger$');
    expect(texTable).toContain('B & 0.3333 & 0.5000 & 0.0000 \\\\');
    const svg = readFileSync(join(out, 'scatter-fr-B-vs-A.svg'), 'utf8');
    expect(svg.match(/<circle /g)).toHaveLength(24);
    expect(svg).toContain('24 queries above the diagonal');
    expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).querySets).toHaveLength(2);
    const table = renderExperiment(r);
    expect(table).toMatch(/A\s+0\.9167 \+0\.5833†/);
    expect(table).toContain('24/0/0');

    // Runs are kept in the workspace with their provenance.
    const stored = await engine.call('runs.show', { name: 'toy.A+B.fr'.replace('+', '_') });
    expect(stored.provenance).toMatchObject({ experiment: file, querySet: 'fr', collection: 'docs', softwareVersion: expect.any(String) });
    expect(stored.provenance.pipeline).toMatchObject({ fuse: { folds: 3 } });
  });

  it('pairs the topics of two varieties by their relevant documents when their ids differ', async () => {
    const engine = tempEngine();
    engine.workspace.db.prepare("INSERT INTO collections (name, lang) VALUES ('docs', 'fr')").run();
    const dir = tempDir();
    const qids = fixture(dir);
    // The Catalan set numbers the same topics c01…; one extra topic shares t01's document, so t01 pairs with nothing.
    writeFileSync(join(dir, 'ca2.tsv'), [...qids.map((q) => `c${q.slice(1)}\tother-${q} rel-${q}`), 'dup\trel-t01'].join('\n'));
    writeFileSync(join(dir, 'ca2.qrels'), [...qids.map((q) => `c${q.slice(1)} 0 rel-${q} 1`), 'dup 0 rel-t01 1'].join('\n'));
    const file = join(dir, 'exp.json');
    writeFileSync(
      file,
      JSON.stringify({
        collection: 'docs',
        querySets: [
          { name: 'fr', queries: 'fr.tsv', qrels: 'topics.qrels' },
          { name: 'ca', queries: 'ca2.tsv', qrels: 'ca2.qrels' },
        ],
        systems: { echo: { 'test-echo': {} } },
        measures: ['RR@10'],
        output: 'out',
        storeRuns: false,
        varieties: { sets: ['fr', 'ca'], pairBy: 'relevant' },
      }),
    );
    const r = await engine.call('experiment.run', { file });
    expect(r.varieties!.pairs).toHaveLength(23);
    expect(r.varieties!.pairs[0]).toEqual(['t02', 'c02']);
    expect(r.varieties!.comparisons[0]).toMatchObject({ reference: 1, mean: 0.5, losses: 23 });
    await expect(
      engine.call('experiment.run', { file: (writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), varieties: ['fr', 'ca'] })), file) }),
    ).rejects.toThrow(/share no topic/);
  });

  it('runs a sub-pipeline declared twice only once per query set', async () => {
    const engine = tempEngine();
    engine.workspace.db.prepare("INSERT INTO collections (name, lang) VALUES ('docs', 'fr')").run();
    const dir = tempDir();
    fixture(dir);
    const file = join(dir, 'exp.json');
    const count = { 'test-count': {} };
    const echo = { 'test-echo': {} };
    writeFileSync(
      file,
      JSON.stringify({
        collection: 'docs',
        querySets: [{ name: 'fr', queries: 'fr.tsv', qrels: 'topics.qrels' }],
        systems: { count, echo, rrf: { rrf: { systems: [count, echo] } }, fused: { fuse: { systems: [count, echo], alpha: 0.5 } } },
        measures: ['RR@10'],
        output: 'out',
        storeRuns: false,
      }),
    );
    counted = 0;
    const r = await engine.call('experiment.run', { file });
    expect(counted).toBe(1);
    expect(r.querySets[0]!.systems.map((s) => s.run)).toEqual([null, null, null, null]);
  });

  it('runs several (collection, query sets) groups from one file, correcting within each query set, with a summary', async () => {
    const engine = tempEngine();
    engine.workspace.db.prepare("INSERT INTO collections (name, lang) VALUES ('docs', 'fr'), ('docs-nl', 'nl')").run();
    const dir = tempDir();
    fixture(dir);
    const file = join(dir, 'exp.json');
    const a = { run: { file: join(dir, 'a.run') } };
    const b = { run: { file: join(dir, 'b.run') } };
    writeFileSync(
      file,
      JSON.stringify({
        name: 'pairs',
        groups: [
          { collection: 'docs', querySets: [{ name: 'fr', queries: 'fr.tsv', qrels: 'topics.qrels' }, { name: 'ca', queries: 'ca.tsv', qrels: 'topics.qrels' }] },
          { collection: 'docs-nl', querySets: [{ name: 'af', queries: 'ca.tsv', qrels: 'topics.qrels' }] },
        ],
        systems: { A: a, B: b, echo: { 'test-echo': {} }, rrf: { rrf: { systems: [a, b] } } },
        measures: ['RR@10', 'P@1'],
        baseline: 'B',
        correction: 'bonferroni',
        output: 'out',
        varieties: ['fr', 'ca'],
      }),
    );
    const r: ExperimentResult = await engine.call('experiment.run', { file });
    expect(r.groups).toEqual([
      { collection: 'docs', querySets: ['fr', 'ca'] },
      { collection: 'docs-nl', querySets: ['af'] },
    ]);
    expect(r.querySets.map((s) => [s.name, s.collection])).toEqual([['fr', 'docs'], ['ca', 'docs'], ['af', 'docs-nl']]);
    // The af set asks the ca queries: same values, same tests, whatever group it is in.
    const ca = r.querySets[1]!;
    const af = r.querySets[2]!;
    expect(af.systems.map((s) => s.means)).toEqual(ca.systems.map((s) => s.means));
    // The family is the three systems against the baseline on one measure in one query set, never more.
    for (const set of r.querySets) {
      for (const m of r.measures) {
        const rows = set.comparisons.filter((c) => c.measure === m);
        expect(rows.map((c) => c.system)).toEqual(['A', 'echo', 'rrf']);
        expect(rows.map((c) => c.adjustedP)).toEqual(bonferroni(rows.map((c) => c.randomisationP)));
      }
    }
    expect(r.varieties!.pairs).toHaveLength(24);

    // One CSV row per query set × system × measure, with the collection of each.
    const out = join(dir, 'out');
    const csv = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(1 + 3 * 4 * 2);
    expect(csv.filter((l) => l.startsWith('docs-nl,af,'))).toHaveLength(4 * 2);
    const echoRow = csv.find((l) => l.startsWith('docs,fr,echo,RR@10,'))!.split(',');
    expect(echoRow.slice(4, 6).map(Number)).toEqual([1, r.querySets[0]!.systems[1]!.means['RR@10']]); // mean, baseline mean
    // The summary: Markdown, LaTeX and the terminal, every query set with a marker per comparison.
    const md = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(md).toContain('| query set | collection | queries | system | RR@10 | P@1 |');
    expect(md).toContain('| af | docs-nl | 24 | B (baseline) | 0.3333 | 0.0000 |');
    expect(md).toMatch(/\| fr \| docs \| 24 \| echo \| 1\.0000† \| 1\.0000† \|/);
    expect(md.trim().split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| query set'))).toHaveLength(3 * 4);
    const texSummary = readFileSync(join(out, 'summary.tex'), 'utf8');
    expect(texSummary).toMatch(/^af & A & /m);
    expect(texSummary).toContain('\n & B & 0.3333 & 0.0000 \\\\\n & echo & ');
    expect(texSummary.match(/\\midrule/g)).toHaveLength(3);
    for (const f of ['table-fr.tex', 'table-ca.tex', 'table-af.tex', 'scatter-af-B-vs-A.svg']) expect(existsSync(join(out, f)), f).toBe(true);
    const table = renderExperiment(r);
    expect(table).toContain('Summary: 3 query sets on 2 collections');
    expect(table).toMatch(/^af\s+echo\s+0\.7500†?\s/m);
  });

  it('checks the groups form: one form or the other, each query set once, every collection before any run', async () => {
    const engine = tempEngine();
    engine.workspace.db.prepare("INSERT INTO collections (name, lang) VALUES ('docs', 'fr')").run();
    const dir = tempDir();
    fixture(dir);
    const file = join(dir, 'exp.json');
    const base = { systems: { count: { 'test-count': {} } }, measures: ['RR@10'], output: 'out', storeRuns: false };
    const fr = { name: 'fr', queries: 'fr.tsv', qrels: 'topics.qrels' };
    const details = async (def: object) => {
      writeFileSync(file, JSON.stringify({ ...base, ...def }));
      const e = await engine.call('experiment.run', { file }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(PontError);
      return (e as PontError).details;
    };
    expect(await details({ collection: 'docs', querySets: [fr], groups: [{ collection: 'docs', querySets: [fr] }] })).toEqual([
      expect.objectContaining({ file, field: 'collection', reason: expect.stringMatching(/not both/) }),
      expect.objectContaining({ file, field: 'querySets', reason: expect.stringMatching(/not both/) }),
    ]);
    expect(await details({ collection: 'docs' })).toEqual([expect.objectContaining({ field: 'querySets', reason: expect.stringMatching(/groups/) })]);
    expect(await details({ groups: [] })).toEqual([expect.objectContaining({ field: 'groups' })]);
    expect(await details({ groups: [{ collection: 'docs', querySets: [fr], extra: 1 }] })).toEqual([expect.objectContaining({ field: 'groups.0' })]);
    expect(
      await details({ groups: [{ collection: 'docs', querySets: [fr] }, { collection: 'other', querySets: [{ ...fr, queries: 'ca.tsv' }] }] }),
    ).toEqual([expect.objectContaining({ field: 'groups.1.querySets', reason: 'query set "fr" is listed twice' })]);
    expect(
      await details({ groups: [{ collection: 'docs', querySets: [fr] }], varieties: ['fr', 'nl'] }),
    ).toEqual([expect.objectContaining({ field: 'varieties', reason: '"nl" is not one of the query sets' })]);
    // A collection missing from the last group stops the experiment before the first group runs.
    counted = 0;
    expect(
      await details({ groups: [{ collection: 'docs', querySets: [fr] }, { collection: 'nowhere', querySets: [{ name: 'x', queries: 'ca.tsv', qrels: 'topics.qrels' }] }] }),
    ).toEqual([expect.objectContaining({ field: 'groups.1.collection', reason: '"nowhere" does not exist' })]);
    expect(counted).toBe(0);
  });

  it('names the file and field of a bad declaration', async () => {
    const engine = tempEngine();
    const dir = tempDir();
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ collection: 'c', querySets: ['x'], systems: { a: { run: { file: 'a' } } }, measures: ['P'], baseline: 'zz', output: 'o' }));
    const e = await engine.call('experiment.run', { file }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PontError);
    expect((e as PontError).details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file, field: 'measures.0' }),
        expect.objectContaining({ file, field: 'baseline' }),
      ]),
    );
    writeFileSync(file, '{"collection": "c",\n  "querySets": [,]}');
    const j = await engine.call('experiment.run', { file }).catch((x: unknown) => x);
    expect((j as PontError).details[0]).toMatchObject({ file, line: 2 });
  });
});
