import type { Command } from 'commander';
import type { Cli } from '../context.ts';
import { renderTable } from '../table.ts';
import type { BuildReport, SearchChoice, SearchResult } from '../../api/contract/lexical.ts';

const num = (v: string) => Number(v);

function renderBuild(r: BuildReport): string {
  return (
    `${r.collection}/${r.index} (${r.analyzer}): ${r.documents} documents in ${r.segments} segment${r.segments === 1 ? '' : 's'}, ` +
    `${r.indexed} indexed now${r.resumed ? ' (resumed)' : ''}, ${r.seconds.toFixed(1)} s`
  );
}

/** Marks highlighted spans with ANSI bold on a terminal, [brackets] otherwise. */
function mark(text: string, spans: { start: number; end: number }[]): string {
  const tty = process.stdout.isTTY;
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + (tty ? `\x1b[1m${text.slice(s.start, s.end)}\x1b[0m` : `[${text.slice(s.start, s.end)}]`);
    at = s.end;
  }
  return out + text.slice(at);
}

function renderSearch(r: SearchResult & { dense?: { model: string; alpha: number }; choice?: SearchChoice }): string {
  const hybrid = r.dense ? `; fused with dense ${r.dense.model} at α ${r.dense.alpha}` : '';
  const total = `${r.total.exact ? '' : 'about '}${r.total.value} in all`;
  const head = `${r.choice ? `${r.choice.description}: ` : ''}${r.hits.length} hits (${total}) in ${r.collection} (${r.indexes.map((i) => i.name).join(' + ')}${r.fusion ? `, ${r.fusion}` : ''}; k1 ${r.k1}, b ${r.b}${r.rm3 ? ', RM3' : ''}${hybrid}) in ${r.milliseconds.toFixed(1)} ms${r.bridge ? `, through bridge ${r.bridge.name} (${r.bridge.from} → ${r.bridge.to})` : ''}`;
  const lines = [head, ''];
  for (const h of r.hits) {
    lines.push(`${String(h.rank).padStart(3)}. ${h.id}  ${h.score.toFixed(3)}${h.title ? `  ${mark(h.title, h.titleHighlights)}` : ''}`);
    lines.push(`     ${mark(h.snippet.text, h.snippet.highlights)}`);
    if (h.bridged && h.bridged.length > 0) lines.push(`     bridged: ${h.bridged.map((c) => `${c.query} → ${c.target} ${c.weight.toFixed(2)}`).join(', ')}`);
  }
  if (r.hits.length === 0) lines.push('No document matches.');
  return lines.join('\n');
}

export function registerLexicalCommands(program: Command, cli: Cli): void {
  const index = program.command('index').description('Lexical (BM25) indexes: build, list, drop, rebuild');

  const build = (rebuild: boolean) => (o: { collection: string; name?: string; analyzer?: string; titleWeight?: number; memory?: number; workers?: number }) =>
    cli.call(
      'index.build',
      {
        collection: o.collection,
        rebuild,
        ...(o.name ? { name: o.name } : {}),
        ...(o.analyzer ? { analyzer: o.analyzer } : {}),
        ...(o.titleWeight !== undefined ? { titleWeight: o.titleWeight } : {}),
        ...(o.memory !== undefined ? { memoryMb: o.memory } : {}),
        ...(o.workers !== undefined ? { workers: o.workers } : {}),
      },
      renderBuild,
    );
  for (const [cmd, rebuild, what] of [
    ['build', false, 'Build an index (resumes an interrupted build; on a built index, catches up with changed documents)'],
    ['rebuild', true, 'Drop an index and build it again'],
  ] as const) {
    index
      .command(cmd)
      .description(what)
      .requiredOption('--collection <name>', 'collection to index')
      .option('--name <index>', 'index name (default from the analyser: words-fr, chargram-3-5)')
      .option('--analyzer <spec>', 'words | words:LANG | chargram:MIN-MAX, flags +fold +nostem +nostop (default words:<collection language>)')
      .option('--title-weight <n>', 'how many times a title word counts (default 2)', num)
      .option('--memory <mb>', 'memory for in-memory postings before a segment is flushed (default 512)', num)
      .option('--workers <n>', 'worker threads (0: index on the main thread)', num)
      .action(build(rebuild));
  }

  index
    .command('list')
    .description('List indexes')
    .option('--collection <name>', 'only those of this collection')
    .action((o: { collection?: string }) =>
      cli.call('index.list', o.collection ? { collection: o.collection } : {}, (rows) =>
        rows.length === 0
          ? 'No index yet. Build one with: pont index build --collection NAME --analyzer chargram:3-5'
          : renderTable(rows, [
              { header: 'collection', value: (r) => r.collection },
              { header: 'name', value: (r) => r.name },
              { header: 'analyzer', value: (r) => r.analyzer },
              { header: 'documents', value: (r) => r.documents, align: 'right' },
              { header: 'segments', value: (r) => r.segments, align: 'right' },
              { header: 'state', value: (r) => (r.state === 'building' ? 'interrupted: run index build to resume' : r.pendingChanges ? `${r.pendingChanges} changes pending` : 'ready') },
            ]),
      ),
    );

  index
    .command('drop')
    .description('Delete an index')
    .requiredOption('--collection <name>', 'collection')
    .requiredOption('--name <index>', 'index to delete')
    .action((o: { collection: string; name: string }) => cli.call('index.drop', o, (r) => `Dropped ${r.collection}/${r.dropped}.`));

  program
    .command('search <query>')
    .description('Search a collection with BM25 (by default its character n-gram index)')
    .requiredOption('--collection <name>', 'collection to search')
    .option('--index <names>', 'index of the collection, or several separated by commas to fuse (default: its n-gram index)')
    .option('--k <n>', 'number of hits (default 10)', num)
    .option('--offset <n>', 'skip this many hits (paging)', num)
    .option('--k1 <x>', 'BM25 k1 (default 0.9)', num)
    .option('--b <x>', 'BM25 b (default 0.4)', num)
    .option('--rm3', 'expand the query with RM3 pseudo-relevance feedback (10 docs, 10 terms, weight 0.5)')
    .option('--fusion <method>', 'combsum or rrf, when several indexes are searched')
    .option('--bridge <name>', 'translate the query through a bridge (pont bridge list) and show the correspondences that matched')
    .option('--dense <model>', 'fuse with the collection’s dense index of this model: α·BM25 + (1−α)·dense')
    .option('--alpha <x>', 'weight of BM25 when fused with --dense (default 0.5)', num)
    .option('--variety <tag>', 'the variety the query is written in: Pont chooses its bridge, a neighbour\'s, or n-grams (without --index or --bridge)')
    .action((query: string, o: { collection: string; index?: string; k?: number; offset?: number; k1?: number; b?: number; rm3?: boolean; fusion?: 'combsum' | 'rrf'; bridge?: string; dense?: string; alpha?: number; variety?: string }) =>
      cli.call(
        'search',
        {
          collection: o.collection,
          query,
          ...(o.index ? { index: o.index.split(',') } : {}),
          ...(o.k !== undefined ? { k: o.k } : {}),
          ...(o.offset !== undefined ? { offset: o.offset } : {}),
          ...(o.k1 !== undefined ? { k1: o.k1 } : {}),
          ...(o.b !== undefined ? { b: o.b } : {}),
          ...(o.rm3 ? { rm3: true } : {}),
          ...(o.fusion ? { fusion: o.fusion } : {}),
          ...(o.bridge ? { bridge: o.bridge } : {}),
          ...(o.dense ? { dense: o.dense } : {}),
          ...(o.alpha !== undefined ? { alpha: o.alpha } : {}),
          ...(o.variety ? { variety: o.variety } : {}),
        },
        renderSearch,
      ),
    );

  program
    .command('run')
    .description('Run a query set through BM25 and write a TREC run file')
    .requiredOption('--collection <name>', 'collection to search')
    .requiredOption('--queries <name>', 'query set')
    .requiredOption('--output <file>', 'run file to write (.gz compresses)')
    .option('--index <names>', 'index of the collection, or several separated by commas to fuse (default: its n-gram index)')
    .option('--k <n>', 'hits per query (default 1000)', num)
    .option('--k1 <x>', 'BM25 k1 (default 0.9)', num)
    .option('--b <x>', 'BM25 b (default 0.4)', num)
    .option('--rm3', 'RM3 pseudo-relevance feedback')
    .option('--fusion <method>', 'combsum or rrf')
    .option('--tag <tag>', 'run tag (last column)')
    .option('--bridge <name>', 'translate the queries through a bridge (bridged BM25)')
    .option('--dense <model>', 'hybrid run: fuse with the collection’s dense index of this model, α·S_term + (1−α)·dense')
    .option('--alpha <x>', 'weight of the term side in the hybrid (default 0.5)', num)
    .action((o: { collection: string; queries: string; output: string; index?: string; k?: number; k1?: number; b?: number; rm3?: boolean; fusion?: 'combsum' | 'rrf'; tag?: string; bridge?: string; dense?: string; alpha?: number }) =>
      cli.call(
        'run',
        {
          collection: o.collection,
          queries: o.queries,
          output: o.output,
          ...(o.index ? { index: o.index.split(',') } : {}),
          ...(o.k !== undefined ? { k: o.k } : {}),
          ...(o.k1 !== undefined ? { k1: o.k1 } : {}),
          ...(o.b !== undefined ? { b: o.b } : {}),
          ...(o.rm3 ? { rm3: true } : {}),
          ...(o.fusion ? { fusion: o.fusion } : {}),
          ...(o.tag ? { tag: o.tag } : {}),
          ...(o.bridge ? { bridge: o.bridge } : {}),
          ...(o.dense ? { dense: o.dense } : {}),
          ...(o.alpha !== undefined ? { alpha: o.alpha } : {}),
        },
        (r) =>
          `${r.queriesRun} queries → ${r.output} (${r.indexes.join(' + ')}${r.bridge ? `, bridge ${r.bridge}` : ''}, k ${r.k}, k1 ${r.k1}, b ${r.b}${r.rm3 ? ', RM3' : ''}` +
          `${r.dense ? `, fused with dense ${r.dense.model} at α ${r.dense.alpha}` : ''}) in ${r.seconds.toFixed(1)} s`,
      ),
    );
}
