import type { Command } from 'commander';
import type { Cli } from '../context.ts';
import { renderTable } from '../table.ts';

type Pair = { collection: string; variety: string };

export function registerCommunityCommands(program: Command, cli: Cli): void {
  const feedback = program.command('feedback').description('What users judged helpful or not, per variety and collection: list, export as qrels, training pairs, improve search');
  const pair = (c: Command) => c.requiredOption('--collection <name>', 'collection').requiredOption('--variety <tag>', 'variety the queries were written in');

  feedback
    .command('list')
    .description('Judgements per collection and variety')
    .action(() =>
      cli.call('feedback.list', {}, (r) =>
        r.summary.length === 0
          ? 'No judgements yet: users mark results helpful or not in the Search view.'
          : renderTable(r.summary, [
              { header: 'collection', value: (s) => s.collection },
              { header: 'variety', value: (s) => s.variety },
              { header: 'queries', value: (s) => s.queries, align: 'right' },
              { header: 'judgements', value: (s) => s.judgements, align: 'right' },
              { header: 'helpful', value: (s) => s.helpful, align: 'right' },
            ]),
      ),
    );

  pair(feedback.command('export').description('Print the judgements as TREC qrels (helpful 1, not helpful 0), or with --queries the queries (qid<TAB>text)'))
    .option('--queries', 'print the queries the qrels judge instead')
    .action((o: Pair & { queries?: boolean }) => cli.call('feedback.export', { collection: o.collection, variety: o.variety }, (r) => (o.queries ? r.queries : r.qrels).trimEnd()));

  pair(feedback.command('pairs').description('Make a training set from the helpful judgements (query ↔ document title and text)'))
    .option('--name <set>', 'training set name (default community-VARIETY-COLLECTION)')
    .action((o: Pair & { name?: string }) =>
      cli.call('feedback.pairs', { collection: o.collection, variety: o.variety, ...(o.name ? { name: o.name } : {}) }, (r) => `${r.pairSet} (${r.from} → ${r.to}): ${r.pairs} pairs`),
    );

  pair(feedback.command('improve').description("Retrain the pair's bridge with the helpful judgements; RR@10 on the judgements before and after"))
    .action((o: Pair) =>
      cli.call(
        'feedback.improve',
        { collection: o.collection, variety: o.variety },
        (r) =>
          `${r.before.choice.description} → ${r.after.choice.description} (trained on ${r.pairs} helpful pairs and the bridge's own sets)\n` +
          `${r.measure} on ${r.queries} judged queries: before ${r.before.value.toFixed(3)}, after ${r.after.value.toFixed(3)} (measured on the judgements the bridge learned from)`,
      ),
    );
}
