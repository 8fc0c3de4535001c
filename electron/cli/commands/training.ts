import type { Command } from 'commander';
import type { Cli } from '../context.ts';
import { UsageError } from '../context.ts';
import { renderTable } from '../table.ts';
import type { TrainReport } from '../../api/contract/training.ts';

const collect = (v: string, prev: string[] = []) => [...prev, v];

const number = (what: string, integer = true) => (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) throw new UsageError(`${what} must be a ${integer ? 'whole ' : ''}number ≥ 0 (got ${v})`);
  return n;
};

/** The loss curve as one line per epoch (first and last point), then the totals. */
function renderReport(r: TrainReport): string {
  const epochs = [...new Set(r.losses.map((l) => l.epoch))].map((e) => {
    const pts = r.losses.filter((l) => l.epoch === e);
    return { epoch: e + 1, first: pts[0]!.loss.toFixed(4), last: pts.at(-1)!.loss.toFixed(4), step: pts.at(-1)!.step };
  });
  const t = r.manifest.training;
  return [
    renderTable(epochs, [
      { header: 'epoch', value: (e) => e.epoch, align: 'right' },
      { header: 'first loss', value: (e) => e.first, align: 'right' },
      { header: 'last loss', value: (e) => e.last, align: 'right' },
      { header: 'step', value: (e) => e.step, align: 'right' },
    ]),
    `Trained ${r.name} on ${r.pairs} pairs (${t?.from.join(', ')} → ${t?.to}): ${r.steps} steps${r.resumedAt ? `, resumed at step ${r.resumedAt}` : ''}, ` +
      `${r.seconds.toFixed(1)} s, ${r.pairsPerSecond.toFixed(0)} pairs/s. Model pack ${r.name}, ${r.manifest.dimension} dimensions.`,
  ].join('\n');
}

export function registerTrainingCommands(program: Command, cli: Cli): void {
  const train = program
    .command('train')
    .description('Train a dual encoder on training sets (see `pont pairs`); the result is a model pack')
    // Checked in the action, not as required options: `pont train jobs` has neither.
    .option('--pairs <name>', 'training set to train on (repeat for several; required)', collect)
    .option('--name <model>', 'name of the model pack to make (required)')
    .option('--from <model>', 'continue training this model (one Pont trained) on the new pairs')
    .option('--epochs <n>', 'passes over the pairs (default 3)', number('--epochs'))
    .option('--dim <n>', 'embedding width (default 64)', number('--dim'))
    .option('--projection <n>', 'width of a linear projection after pooling (default 0: none)', number('--projection'))
    .option('--buckets <n>', 'hash buckets, rows of the embedding table (default 262144)', number('--buckets'))
    .option('--batch-size <n>', 'pairs per step; the other pairs of a batch are its in-batch negatives (default 128)', number('--batch-size'))
    .option('--hard-negatives <n>', 'BM25-mined hard negatives per pair per step (default 1; 0: in-batch only)', number('--hard-negatives'))
    .option('--lr <x>', 'Adam learning rate (default 0.005)', number('--lr', false))
    .option('--temperature <x>', 'InfoNCE temperature (default 0.02)', number('--temperature', false))
    .option('--seed <n>', 'seed of the initialisation, batch order and negative draws (default 42)', number('--seed'))
    .option('--restart', 'start over instead of resuming an unfinished training of the same name with other settings')
    .addHelpText(
      'after',
      `
Running the same command again after a crash or Ctrl-C resumes from the last checkpoint, to the same model an
uninterrupted run gives. See docs/training.md.`,
    )
    .action((o: { pairs?: string[]; name?: string; from?: string; restart?: boolean } & Record<string, number | undefined>) => {
      const { pairs, name, from, restart, ...rest } = o;
      if (!pairs?.length || !name) throw new UsageError('pont train needs --pairs NAME (one or more) and --name MODEL');
      const settings = Object.fromEntries(Object.entries(rest).filter(([, v]) => typeof v === 'number'));
      return cli.call('train.encoder', { name, pairs, ...(from ? { from } : {}), restart: restart ?? false, ...settings }, renderReport);
    });
  train
    .command('adapter')
    .description('Train a query-side adapter for a dense model: a linear map on query vectors, documents stay as indexed')
    .requiredOption('--model <model>', 'the dense model whose query vectors to adapt')
    .requiredOption('--pairs <name>', 'training set (repeat for several)', collect)
    .requiredOption('--name <adapter>', 'name of the adapter; use it as {"dense": {"model": M, "adapter": NAME}}')
    .option('--epochs <n>', 'passes over the pairs (default 10)', number('--epochs'))
    .option('--lr <x>', 'Adam learning rate (default 0.002)', number('--lr', false))
    .option('--seed <n>', 'seed of the batch order (default 42)', number('--seed'))
    .action((o: { model: string; pairs: string[]; name: string; epochs?: number; lr?: number; seed?: number }) =>
      cli.call('train.adapter', o, (r) =>
        `Trained adapter ${r.name} for ${r.model} on ${r.pairs} pairs in ${r.seconds.toFixed(1)} s; loss per epoch ${r.losses.map((l) => l.toFixed(4)).join(' ')}`,
      ),
    );
  train
    .command('jobs')
    .description('List training jobs (an unfinished one resumes when its command is run again)')
    .action(() =>
      cli.call('train.jobs', {}, (rows) =>
        renderTable(rows, [
          { header: 'name', value: (r) => r.name },
          { header: 'kind', value: (r) => r.kind },
          { header: 'state', value: (r) => r.state },
          { header: 'step', value: (r) => `${r.step}/${r.totalSteps}`, align: 'right' },
          { header: 'loss', value: (r) => r.lastLoss?.toFixed(4) ?? '', align: 'right' },
          { header: 'updated', value: (r) => r.updatedAt },
        ]),
      ),
    );

  const model = program.commands.find((c) => c.name() === 'model');
  if (!model) throw new Error('register the model commands before the training commands');
  model
    .command('export <model> <dir>')
    .description('Write a model pack to a folder that `pont model import DIR` accepts on another machine')
    .action((name: string, dir: string) =>
      cli.call('model.export', { name, dir }, (r) => `Exported ${name} to ${r.dir}: ${r.files.length} files, ${(r.bytes / 1e6).toFixed(1)} MB, sha256 ${r.checksum}`),
    );
}
