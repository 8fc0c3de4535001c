import type { Command } from 'commander';
import { UsageError, type Cli } from '../context.ts';
import { renderTable } from '../table.ts';
import { renderImportInto, renderImports } from './collections.ts';
import type { ImportRecord } from '../../api/contract/collections.ts';
import type { PairImportReport, PairSetInfo, TrainingPair } from '../../api/contract/pairs.ts';
import type { PairExportFormat, PairFormat } from '../../engine/pairs/formats.ts';

function renderPairImport(r: PairImportReport): string {
  return `${renderImportInto(`training set ${r.pairSet} (${r.from} → ${r.to})`, r)}\n${r.pairSet} now holds ${r.pairs} pairs (${r.fingerprint.slice(0, 19)}…)`;
}

function renderPair(p: TrainingPair): string {
  const extra = [p.weight !== 1 ? `weight ${p.weight}` : '', p.negatives.length > 0 ? `${p.negatives.length} negatives` : ''].filter(Boolean).join(', ');
  return `  ${p.id}\t${p.low}\t→ ${p.high}${extra ? `\t(${extra})` : ''}`;
}

function renderSet(s: PairSetInfo & { sample: TrainingPair[]; imports: ImportRecord[] }): string {
  const unfinished = s.imports.filter((i) => ['running', 'cancelled', 'failed'].includes(i.state));
  return [
    `${s.name} (${s.from} → ${s.to}): ${s.pairs} pairs${unfinished.length > 0 ? ' — an import is unfinished: run it again to resume' : ''}`,
    `source: ${s.source} (${s.format}), created ${s.createdAt}`,
    `fingerprint ${s.fingerprint}`,
    '',
    ...s.sample.map(renderPair),
    '',
    renderImports(s.imports),
    s.imports.some((i) => i.problems > 0) ? '`pont collection problems ID` lists the problems of an import.' : '',
  ]
    .join('\n')
    .trimEnd();
}

export function registerPairCommands(program: Command, cli: Cli): void {
  const pairs = program.command('pairs').description('Training sets: pairs of a low variety and a high language, to train bridges and encoders on');

  pairs
    .command('import <file>')
    .description('Import pairs from a file into a training set (created if it does not exist)')
    .requiredOption('--name <name>', 'training set name')
    .requiredOption('--from <tag>', 'the low variety (what users type), a BCP-47 tag such as oc, ca-valencia')
    .requiredOption('--to <tag>', 'the high language (what the documents are written in), e.g. fr')
    .option('--format <format>', 'tsv, moses, tmx, po, mo, wordlist or flagembedding (guessed from the file name when omitted)')
    .option('--high <file>', 'moses: the high-language file (default: CORPUS.<from> → CORPUS.<to>); po/mo: the high-language catalogue')
    .option('--columns <list>', 'TSV: the columns, e.g. id,low,high,weight (default: a header line, or the number of fields)')
    .option('--strict', 'stop at the first bad record instead of reporting it and going on')
    .addHelpText(
      'after',
      `
Formats (docs/training-sets.md):
  tsv            low<TAB>high, optional id and weight columns, a header line, or the l10n-train layout
                 id<TAB>low<TAB>high<TAB>identical (--columns says which)
  moses          two aligned files, line n of one the counterpart of line n of the other: FILE is the low side,
                 --high the other (default: CORPUS.<from> and CORPUS.<to>)
  tmx            a translation memory: each <tu>'s segments in --from and --to
  po, mo         two gettext catalogues of one program, aligned by msgctxt + msgid: FILE in the low variety, --high
                 in the high language (without --high, each translation is paired with its source string)
  wordlist       low<TAB>high[<TAB>high…], # comments
  flagembedding  JSONL {"query", "pos": [...], "neg": [...]}: each pos a pair with the query, negatives kept
Pairs without an id are named by a hash of their two sides. Importing the same file again changes nothing; an
interrupted import resumes when run again; bad records are reported with file, line and field.`,
    )
    .action((file: string, o: { name: string; from: string; to: string; format?: PairFormat; high?: string; columns?: string; strict?: boolean }) =>
      cli.call(
        'pairs.import',
        {
          path: file,
          name: o.name,
          from: o.from,
          to: o.to,
          strict: o.strict ?? false,
          ...(o.format ? { format: o.format } : {}),
          ...(o.columns ? { columns: o.columns } : {}),
          ...(o.high ? { high: o.high } : {}),
        },
        renderPairImport,
      ),
    );

  pairs
    .command('list')
    .description('List the training sets')
    .action(() =>
      cli.call('pairs.list', {}, (rows) =>
        rows.length === 0
          ? 'No training sets yet. Import one with: pont pairs import FILE --name NAME --from LANG --to LANG'
          : renderTable(rows, [
              { header: 'name', value: (r) => r.name },
              { header: 'from', value: (r) => r.from },
              { header: 'to', value: (r) => r.to },
              { header: 'pairs', value: (r) => r.pairs, align: 'right' },
              { header: 'format', value: (r) => r.format },
              { header: 'source', value: (r) => r.source },
            ]),
      ),
    );

  pairs
    .command('show <name>')
    .description('Show a training set, its provenance and its first pairs')
    .option('--sample <n>', 'how many pairs to show (default 5)', Number)
    .action((name: string, o: { sample?: number }) => cli.call('pairs.show', { name, ...(o.sample !== undefined ? { sample: o.sample } : {}) }, renderSet));

  pairs
    .command('delete <name>')
    .description('Delete a training set and its pairs')
    .action((name: string) => cli.call('pairs.delete', { name }, (r) => `Deleted ${r.deleted} (${r.pairs} pairs).`));

  pairs
    .command('export <name>')
    .description('Write a training set as FlagEmbedding JSONL (with negatives) or TSV, to a file or the standard output')
    .option('--format <format>', 'flagembedding (default) or tsv')
    .option('--output <file>', 'the file to write (gzip when it ends in .gz); default: the standard output')
    .action((name: string, o: { format?: PairExportFormat; output?: string }) =>
      cli.call('pairs.export', { name, path: o.output ?? '/dev/stdout', ...(o.format ? { format: o.format } : {}) }, (r) =>
        o.output ? `Wrote ${r.pairs} pairs of ${r.name} to ${r.path} (${r.format}).` : '',
      ),
    );

  pairs
    .command('from-qrels')
    .description('Derive a training set from a query set and its judgements: each query with the text of each relevant document')
    .requiredOption('--queries <name>', 'query set (its variety is the low side, its collection the high side)')
    .requiredOption('--name <name>', 'training set to write')
    .option('--min-rel <n>', 'lowest grade that counts as relevant (default 1); the grade is the pair weight', Number)
    .action((o: { queries: string; name: string; minRel?: number }) =>
      cli.call('pairs.fromQrels', { queries: o.queries, name: o.name, ...(o.minRel !== undefined ? { minRel: o.minRel } : {}) }, renderPairImport),
    );

  pairs
    .command('from-titles')
    .description("Weak supervision (Shi et al.): each document's title, or first sentence, as a pseudo-query for the document")
    .requiredOption('--collection <name>', 'collection')
    .requiredOption('--name <name>', 'training set to write')
    .option('--first-sentence', 'use the first sentence (paired with the rest of the document) instead of the title')
    .action((o: { collection: string; name: string; firstSentence?: boolean }) =>
      cli.call('pairs.fromTitles', { collection: o.collection, name: o.name, firstSentence: o.firstSentence ?? false }, renderPairImport),
    );

  pairs
    .command('mine-negatives <set>')
    .description("Copy a training set with hard negatives mined over a collection, skipping candidates within a margin of the positive's score")
    .requiredOption('--collection <name>', 'collection to mine in')
    .requiredOption('--name <name>', 'training set to write')
    .option('--index <name>', 'BM25 over this index of the collection (default: its n-gram index)')
    .option('--pipeline <json>', 'any pipeline declaration instead, as in experiment files, e.g. \'{"fuse": {...}}\'')
    .option('--margin <x>', "skip candidates scoring within this fraction of the positive's score (default 0.05)", Number)
    .option('--depth <k>', 'candidates looked at per pair (default 30)', Number)
    .option('--per-pair <n>', 'negatives kept per pair (default 8)', Number)
    .action((set: string, o: { collection: string; name: string; index?: string; pipeline?: string; margin?: number; depth?: number; perPair?: number }) => {
      let pipeline: unknown;
      if (o.pipeline !== undefined) {
        try {
          pipeline = JSON.parse(o.pipeline);
        } catch (e) {
          throw new UsageError(`--pipeline is not valid JSON: ${(e as Error).message}`);
        }
      }
      return cli.call(
        'pairs.mineNegatives',
        {
          pairs: set,
          name: o.name,
          collection: o.collection,
          ...(o.index ? { index: o.index } : {}),
          ...(pipeline !== undefined ? { pipeline: pipeline as Record<string, unknown> } : {}),
          ...(o.margin !== undefined ? { margin: o.margin } : {}),
          ...(o.depth !== undefined ? { depth: o.depth } : {}),
          ...(o.perPair !== undefined ? { perPair: o.perPair } : {}),
        },
        renderPairImport,
      );
    });
}
