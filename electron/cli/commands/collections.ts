import type { Command } from 'commander';
import type { Cli } from '../context.ts';
import { renderTable } from '../table.ts';
import type { CollectionSummary, ImportIssue, ImportRecord, ImportReport } from '../../api/contract/collections.ts';

function renderIssue(i: ImportIssue): string {
  const where = [i.file, i.line !== undefined ? `line ${i.line}` : '', i.field ? `field ${i.field}` : ''].filter(Boolean).join(', ');
  return `  ${i.severity}: ${where}: ${i.reason}`;
}

/** What to do about a collection's unfinished import: resuming helps after an interruption, not after a fault in the file. */
function unfinished(c: CollectionSummary): string {
  return c.importFailed ? 'import failed: fix the file and import it again, or roll it back' : 'import interrupted: run it again to resume, or roll it back';
}

export function renderImport(r: ImportReport): string {
  return renderImportInto(r.querySet ? `${r.querySet} (${r.collection})` : r.collection, r);
}

/** An import's counts, notes and first problems, for any target (a collection, a query set, a training set). */
export function renderImportInto(target: string, r: Omit<ImportReport, 'collection' | 'querySet'>): string {
  const resumed = r.resumedFromLine ? `, resumed at line ${r.resumedFromLine}` : r.resumedAfterFiles ? `, resumed after ${r.resumedAfterFiles} files` : '';
  const lines = [
    `${r.source} → ${target}: ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged, ${r.bad} bad` +
      `${r.warnings ? `, ${r.warnings} warnings` : ''} (${r.seconds.toFixed(1)} s${resumed})`,
    ...r.notes.map((n) => `  note: ${n}`),
  ];
  for (const i of r.issues) lines.push(renderIssue(i));
  const more = r.bad + r.warnings - r.issues.length;
  if (more > 0) lines.push(`  … and ${more} more: \`pont collection problems ${r.importId}\` lists them all`);
  return lines.join('\n');
}

/** A list of imports: id (for `pont collection problems ID`), what, state, counts, when and from where. */
export function renderImports(rows: ImportRecord[]): string {
  return renderTable(rows, [
    { header: 'id', value: (r) => r.id, align: 'right' },
    { header: 'kind', value: (r) => (r.querySet ? `${r.kind} (${r.querySet})` : r.kind) },
    { header: 'state', value: (r) => r.state },
    { header: 'records', value: (r) => r.records, align: 'right' },
    { header: 'bad', value: (r) => r.bad, align: 'right' },
    { header: 'problems', value: (r) => r.problems, align: 'right' },
    { header: 'started', value: (r) => r.startedAt },
    { header: 'source', value: (r) => r.source },
  ]);
}

export function registerCollectionCommands(program: Command, cli: Cli): void {
  const collection = program.command('collection').description('Import, list, show and delete document collections');

  collection
    .command('import <path>')
    .description('Import a TSV or JSONL file (optionally .gz) or a folder of .txt/.md/.html/.pdf/.docx documents')
    .requiredOption('--name <name>', 'collection name')
    .requiredOption('--lang <tag>', 'language of the documents, a BCP-47 tag such as fr, it, nl')
    .option('--format <format>', 'tsv, jsonl or folder (guessed from the path when omitted)')
    .option('--description <text>', 'what the collection holds')
    .option('--strict', 'stop at the first bad record instead of reporting it and going on')
    .option('--passage-words <n>', 'folder imports: split files longer than this many words into passages (default 200)', Number)
    .addHelpText(
      'after',
      `
Formats: TSV id<TAB>text or id<TAB>title<TAB>text; JSON Lines {"id","contents"} (Pyserini), {"_id","title","text"}
(BEIR) or {"doc_id","text"} (ir_datasets), other fields kept as metadata; either one gzip-compressed; or a folder of
.txt, .md, .html, .pdf and .docx files (the relative path is the id; long files become passages path#1, path#2…).

Importing the same file again is safe: new ids are added, changed ones updated, the rest left alone. Within one file
the first record with an id wins; later ones are reported. Bad records are reported with file, line and field and
skipped (--strict stops at the first one). An interrupted import (Ctrl-C, crash) resumes where it stopped when run
again; if the file changed meanwhile, what the interrupted import added is rolled back first.

Importing a file that has not changed since its last finished import does nothing (same size, modification time
and first MiB).

Exit status: 0 done (even with bad records reported, as long as one record was stored), 2 bad arguments, 3 file or
collection not found, 4 conflict (e.g. another language), 5 bad data (no good record at all, an empty file,
--strict, truncated gzip), 130 cancelled. An import that stored nothing leaves nothing behind: no new, empty
collection and no unfinished import.`,
    )
    .action((path: string, o: { name: string; lang: string; format?: 'tsv' | 'jsonl' | 'folder'; description?: string; strict?: boolean; passageWords?: number }) =>
      cli.call(
        'collection.import',
        {
          path,
          name: o.name,
          lang: o.lang,
          strict: o.strict ?? false,
          ...(o.format ? { format: o.format } : {}),
          ...(o.description !== undefined ? { description: o.description } : {}),
          ...(o.passageWords !== undefined ? { passageWords: o.passageWords } : {}),
        },
        renderImport,
      ),
    );

  collection
    .command('list')
    .description('List collections')
    .action(() =>
      cli.call('collection.list', {}, (rows) =>
        rows.length === 0
          ? 'No collections yet. Import one with: pont collection import FILE --name NAME --lang TAG'
          : renderTable(rows, [
              { header: 'name', value: (r) => r.name },
              { header: 'lang', value: (r) => r.lang },
              { header: 'documents', value: (r) => r.documents, align: 'right' },
              { header: 'state', value: (r) => (r.incompleteImport ? `${unfinished(r)} (pont collection imports ${r.name})` : 'ready') },
              { header: 'description', value: (r) => r.description },
            ]),
      ),
    );

  collection
    .command('show <name>')
    .description('Show a collection and a few of its documents')
    .action((name: string) =>
      cli.call('collection.show', { name }, (c) =>
        [
          `${c.name} (${c.lang}): ${c.documents} documents${c.incompleteImport ? ` — ${unfinished(c)}` : ''}`,
          c.description,
          `created ${c.createdAt}, updated ${c.updatedAt}`,
          '',
          ...c.sampleDocuments.map((d) => `  ${d.id}\t${d.title ? `${d.title} — ` : ''}${d.text.slice(0, 100)}`),
        ]
          .filter((l, i) => i !== 1 || l)
          .join('\n'),
      ),
    );

  collection
    .command('imports <name>')
    .description("List a collection's imports, newest first: state, records, problems (`pont collection problems ID`); an unfinished one resumes when run again, or `pont collection rollback ID` undoes it")
    .action((name: string) =>
      cli.call('collection.imports', { name }, renderImports),
    );

  collection
    .command('problems <id>')
    .description('List the bad records and warnings an import recorded (all are kept)')
    .option('--offset <n>', 'skip this many', Number)
    .option('--limit <n>', 'show at most this many (default 100)', Number)
    .action((id: string, o: { offset?: number; limit?: number }) =>
      cli.call(
        'import.problems',
        { id: Number(id), ...(o.offset !== undefined ? { offset: o.offset } : {}), ...(o.limit !== undefined ? { limit: o.limit } : {}) },
        (r) =>
          [
            `${r.total} problems`,
            ...r.issues.map(renderIssue),
          ].join('\n'),
      ),
    );

  collection
    .command('rollback <id>')
    .description('Undo an unfinished import (see `pont collection imports NAME`) instead of resuming it')
    .action((id: string) => cli.call('import.rollback', { id: Number(id) }, (r) => `${r.message}.`));

  collection
    .command('delete <name>')
    .description('Delete a collection with its documents, query sets, qrels and indexes')
    .action((name: string) => cli.call('collection.delete', { name }, (r) => `Deleted ${r.deleted} (${r.documents} documents).`));

  program
    .command('queries')
    .description('Query sets')
    .addCommand(
      program
        .createCommand('import')
        .argument('<file>')
        .description('Import queries (TSV qid<TAB>text, or JSONL {"qid"|"_id"|"query_id", "text"|"query"})')
        .requiredOption('--collection <name>', 'collection the queries search')
        .requiredOption('--name <name>', 'query set name')
        .requiredOption('--lang <tag>', 'variety the queries are written in, e.g. oc, ca, scn, af')
        .option('--format <format>', 'tsv or jsonl (guessed from the file name when omitted)')
        .option('--strict', 'stop at the first bad record')
        .action((path: string, o: { collection: string; name: string; lang: string; format?: 'tsv' | 'jsonl'; strict?: boolean }) =>
          cli.call(
            'queries.import',
            { path, collection: o.collection, name: o.name, lang: o.lang, strict: o.strict ?? false, ...(o.format ? { format: o.format } : {}) },
            renderImport,
          ),
        ),
    )
    .addCommand(
      program
        .createCommand('list')
        .description('List query sets')
        .option('--collection <name>', 'only those of this collection')
        .action((o: { collection?: string }) =>
          cli.call('queries.list', o.collection ? { collection: o.collection } : {}, (rows) =>
            renderTable(rows, [
              { header: 'name', value: (r) => r.name },
              { header: 'lang', value: (r) => r.lang },
              { header: 'collection', value: (r) => r.collection },
              { header: 'queries', value: (r) => r.queries, align: 'right' },
              { header: 'judged', value: (r) => r.judged, align: 'right' },
            ]),
          ),
        ),
    );

  program
    .command('qrels')
    .description('Relevance judgements')
    .addCommand(
      program
        .createCommand('import')
        .argument('<file>')
        .description('Import TREC qrels (qid 0 docid rel) into a query set')
        .requiredOption('--queries <name>', 'query set the judgements belong to')
        .option('--strict', 'stop at the first bad record')
        .action((path: string, o: { queries: string; strict?: boolean }) =>
          cli.call('qrels.import', { path, queries: o.queries, strict: o.strict ?? false }, renderImport),
        ),
    );
}
