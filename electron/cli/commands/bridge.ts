import type { Command } from 'commander';
import type { Cli } from '../context.ts';
import { renderTable } from '../table.ts';
import type { BridgeInfo } from '../../api/contract/bridge.ts';

const num = (v: string) => Number(v);
const collect = (v: string, acc: string[] = []) => [...acc, v];

function renderInfo(b: Omit<BridgeInfo, 'params'> & { params?: Record<string, unknown> }): string {
  const p = b.provenance;
  return [
    `${b.name} (${b.from} → ${b.to}): ${b.state === 'ready' ? `${b.entries} words` : `training, ${b.iteration} iterations done (run the same train command to resume)`}`,
    `method ${p.method}, analyser ${p.analyzer.spec} v${p.analyzer.version}${b.params ? `, ${Object.entries(b.params).map(([k, v]) => `${k} ${String(v)}`).join(', ')}` : ''}`,
    ...p.trainingSets.map((s) => `trained on ${s.name} (${s.from} → ${s.to}, ${s.pairs} pairs, ${s.fingerprint.slice(0, 19)}…)`),
    ...(p.importedFrom ? [`imported from ${p.importedFrom}`] : []),
    `created ${b.createdAt}`,
  ].join('\n');
}

export function registerBridgeCommands(program: Command, cli: Cli): void {
  const bridge = program.command('bridge').description('Lexical bridges: word translations learned from training sets, used by search --bridge');

  bridge
    .command('train')
    .description('Learn a bridge from one or more training sets (IBM Model 1 both ways, symmetrised); resumes an unfinished training')
    .requiredOption('--pairs <name>', 'training set (repeat to pool several)', collect)
    .requiredOption('--name <name>', 'bridge name')
    .option('--from <tag>', 'the low variety (default: the training sets\')')
    .option('--to <tag>', 'the high language (default: the training sets\')')
    .option('--iterations <n>', 'EM iterations (default 10)', num)
    .option('--top <n>', 'translations kept per word (default 5)', num)
    .option('--min-probability <p>', 'smallest probability kept (default 0.01)', num)
    .option('--seed <n>', 'seed (default 42); the same seed gives the same bridge', num)
    .action((o: { pairs: string[]; name: string; from?: string; to?: string; iterations?: number; top?: number; minProbability?: number; seed?: number }) =>
      cli.call(
        'bridge.train',
        {
          name: o.name,
          pairs: o.pairs,
          ...(o.from ? { from: o.from } : {}),
          ...(o.to ? { to: o.to } : {}),
          ...(o.iterations !== undefined ? { iterations: o.iterations } : {}),
          ...(o.top !== undefined ? { top: o.top } : {}),
          ...(o.minProbability !== undefined ? { minProbability: o.minProbability } : {}),
          ...(o.seed !== undefined ? { seed: o.seed } : {}),
        },
        renderInfo,
      ),
    );

  bridge
    .command('list')
    .description('List the bridges')
    .action(() =>
      cli.call('bridge.list', {}, (rows) =>
        rows.length === 0
          ? 'No bridges yet. Train one with: pont bridge train --pairs SET --name NAME'
          : renderTable(rows, [
              { header: 'name', value: (r) => r.name },
              { header: 'from', value: (r) => r.from },
              { header: 'to', value: (r) => r.to },
              { header: 'words', value: (r) => r.entries, align: 'right' },
              { header: 'state', value: (r) => r.state },
              { header: 'trained on', value: (r) => r.provenance.trainingSets.map((s) => s.name).join(', ') },
            ]),
      ),
    );

  bridge
    .command('show <name>')
    .description('Show a bridge, its provenance and translations (of the given words, or a sample)')
    .option('--word <word>', 'translate this word (repeat for several)', collect)
    .option('--sample <n>', 'how many table entries to show (default 10)', num)
    .action((name: string, o: { word?: string[]; sample?: number }) =>
      cli.call('bridge.show', { name, ...(o.word ? { words: o.word } : {}), ...(o.sample !== undefined ? { sample: o.sample } : {}) }, (r) =>
        [
          renderInfo(r),
          '',
          ...r.sample.map((t) => `  ${t.word}${t.via.length ? ` (like ${t.via.join(', ')})` : ''} → ${t.translations.map((x) => `${x.target} ${x.p.toFixed(2)}`).join(', ') || '(no translation)'}`),
        ].join('\n'),
      ),
    );

  bridge
    .command('delete <name>')
    .description('Delete a bridge')
    .action((name: string) => cli.call('bridge.delete', { name }, (r) => `Deleted ${r.deleted}.`));

  bridge
    .command('export <name> <file>')
    .description('Write a bridge and its provenance to a file (pont-bridge JSON, version 1)')
    .action((name: string, file: string) => cli.call('bridge.export', { name, path: file }, (r) => `${r.bridge} → ${r.path} (${r.words} words)`));

  bridge
    .command('import <file>')
    .description('Add a bridge from a file written by bridge export')
    .option('--name <name>', 'store it under this name (default: the name in the file)')
    .action((file: string, o: { name?: string }) => cli.call('bridge.import', { path: file, ...(o.name ? { name: o.name } : {}) }, renderInfo));
}
