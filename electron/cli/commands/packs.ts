import type { Command } from 'commander';
import type { Cli } from '../context.ts';
import { UsageError } from '../context.ts';
import { renderTable } from '../table.ts';
import type { InstallReport } from '../../api/contract/packs.ts';

const collect = (v: string, prev: string[] = []) => [...prev, v];
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** NAME=TEXT options, one per item. */
const pairs = (what: string) => (v: string, prev: Record<string, string> = {}) => {
  const i = v.indexOf('=');
  if (i <= 0) throw new UsageError(`${what} takes NAME=TEXT (got ${v})`);
  return { ...prev, [v.slice(0, i)]: v.slice(i + 1) };
};

function signatureLine(s: InstallReport['signature']): string {
  if (s.state === 'unsigned') return 'unsigned';
  return `signed by key ${s.keyId}${s.trusted ? ' (trusted)' : ' (not in the trusted keys)'}`;
}

export function registerPackCommands(program: Command, cli: Cli): void {
  const pack = program.command('pack').description('Content packs: one file with collections, indexes, queries, bridges and models, for partners to hand out');

  pack
    .command('build')
    .description('Write a pack (nothing is rebuilt when it is installed: indexes travel with their collections)')
    .requiredOption('--output <file>', 'the pack file to write (e.g. occitan.pontpack)')
    .option('--collection <name>', 'a collection, with its indexes (repeat for several)', collect, [])
    .option('--queries <name>', 'a query set, with its qrels (repeat)', collect, [])
    .option('--bridge <name>', 'a lexical bridge (repeat)', collect, [])
    .option('--model <name>', 'a model pack, e.g. a trained encoder (repeat)', collect, [])
    .option('--sign <key>', 'sign with this private key (made by: pont pack keygen)')
    .option('--name <name>', 'the pack’s name in a workspace (default: the file’s name)')
    .option('--title <text>', 'the pack’s title, as users see it')
    .option('--licence <text>', 'licence of the pack’s content (the default for each item)')
    .option('--description <text>', 'a few words on what the pack is for')
    .option('--item-title <name=text>', 'title of one item (repeat)', pairs('--item-title'), {})
    .option('--item-licence <name=text>', 'licence of one item (repeat)', pairs('--item-licence'), {})
    .option('--language <tag>', 'interface language to start in (en, fr, oc, ca, it, scn)')
    .option('--variety <tag>', 'variety users of this pack write in (e.g. oc, scn)')
    .action(
      (o: {
        output: string; collection: string[]; queries: string[]; bridge: string[]; model: string[]; sign?: string; name?: string; title?: string;
        licence?: string; description?: string; itemTitle: Record<string, string>; itemLicence: Record<string, string>; language?: string; variety?: string;
      }) =>
        cli.call(
          'pack.build',
          {
            output: o.output,
            collections: o.collection,
            queries: o.queries,
            bridges: o.bridge,
            models: o.model,
            itemTitles: o.itemTitle,
            itemLicences: o.itemLicence,
            ...Object.fromEntries(Object.entries({ sign: o.sign, name: o.name, title: o.title, licence: o.licence, description: o.description, language: o.language, variety: o.variety }).filter(([, v]) => v !== undefined)),
          },
          (r) =>
            [
              `Wrote ${r.file} (${mb(r.bytes)}) in ${r.seconds.toFixed(1)} s: pack ${r.name}, ${r.signedBy ? `signed by key ${r.signedBy}` : 'unsigned'}.`,
              renderTable(r.items, [
                { header: 'kind', value: (i) => i.kind },
                { header: 'name', value: (i) => i.name },
                { header: 'parts', value: (i) => i.parts, align: 'right' },
                { header: 'size', value: (i) => mb(i.bytes), align: 'right' },
              ]),
              `manifest sha256 ${r.sha256}`,
            ].join('\n'),
        ),
    );

  pack
    .command('verify <file>')
    .description('Check a pack without installing it: its manifest, its signature and every part’s sha256')
    .option('--trust <key>', 'a public key to check the signer against (repeat)', collect, [])
    .action((path: string, o: { trust: string[] }) =>
      cli.call('pack.verify', { path, trust: o.trust }, (r) =>
        [
          `${r.file}: pack ${r.manifest.name} "${r.manifest.title}", ${signatureLine(r.signature)}; all ${r.parts.length} parts match the manifest.`,
          renderTable(r.parts, [
            { header: 'part', value: (p) => p.path },
            { header: 'kind', value: (p) => p.kind },
            { header: 'item', value: (p) => p.item },
            { header: 'size', value: (p) => mb(p.bytes), align: 'right' },
            { header: 'sha256', value: (p) => (p.ok ? 'ok' : 'MISMATCH') },
          ]),
        ].join('\n'),
      ),
    );

  pack
    .command('install <file>')
    .description('Install a pack, or every pack in a folder (verified first; all or nothing; run again to resume an interrupted installation)')
    .option('--replace', 'replace items (and an installed pack) of the same names')
    .option('--trust <key>', 'trust this public key from now on, and require it (repeat)', collect, [])
    .option('--allow-untrusted', 'install even when the workspace trusts keys and this pack is not signed by one of them')
    .action((path: string, o: { replace?: boolean; trust: string[]; allowUntrusted?: boolean }) =>
      cli.call('pack.install', { path, replace: o.replace ?? false, trust: o.trust, allowUntrusted: o.allowUntrusted ?? false }, (reports) =>
        reports
          .map((r) =>
            r.alreadyInstalled
              ? `Pack ${r.pack} is already installed (same manifest sha256); nothing to do.`
              : [
                  `Installed pack ${r.pack} "${r.title}" in ${r.seconds.toFixed(1)} s (${signatureLine(r.signature)}${r.resumedParts ? `; resumed with ${r.resumedParts} part(s) already checked` : ''}).`,
                  ...r.installed.map((i) => `  ${i.kind} ${i.name}`),
                  ...(r.replaced.length ? [`replaced: ${r.replaced.map((i) => `${i.kind} ${i.name}`).join(', ')}`] : []),
                ].join('\n'),
          )
          .join('\n'),
      ),
    );

  pack
    .command('list')
    .description('List installed packs')
    .action(() =>
      cli.call('pack.list', {}, (rows) =>
        rows.length === 0
          ? 'No packs installed. Install one with: pont pack install FILE'
          : renderTable(rows, [
              { header: 'name', value: (r) => r.name },
              { header: 'title', value: (r) => r.title },
              { header: 'items', value: (r) => r.items.map((i) => `${i.kind} ${i.name}`).join(', ') },
              { header: 'signed by', value: (r) => r.signer ?? '—' },
              { header: 'installed', value: (r) => r.installedAt.slice(0, 16).replace('T', ' ') },
            ]),
      ),
    );

  pack
    .command('remove <name>')
    .description('Remove an installed pack and the items it installed')
    .action((name: string) =>
      cli.call('pack.remove', { name }, (r) => [`Removed pack ${r.removed}.`, ...r.items.map((i) => `  ${i.kind} ${i.name}`)].join('\n')),
    );

  pack
    .command('keygen')
    .description('Make a key pair for signing packs: BASE.key (keep it secret) and BASE.pub (give it to the workspaces that trust you)')
    .requiredOption('--output <base>', 'path and base name of the two key files')
    .action((o: { output: string }) =>
      cli.call('pack.keygen', { output: o.output }, (r) => `Wrote ${r.privateKey} (secret) and ${r.publicKey}; key id ${r.keyId}.`),
    );
}
