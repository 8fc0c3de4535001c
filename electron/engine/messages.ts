/**
 * Every message the engine can send, by stable id, with its English text for the command line. `{name}` is a
 * parameter. The interface does not show these texts: it renders the id and its parameters through its own
 * catalogues (renderer/src/i18n/errors/), in the user's language and without command-line advice, so an id's
 * meaning and parameters must stay stable once released; add a new id rather than change one.
 */
export const engineMessages = {
  // API and transport
  'input.invalid': 'invalid input for {method}: {problems}',
  'method.unknown': 'unknown method {method}',
  'call.cancelled': '{reason}',
  'request.too_large': 'request body larger than {bytes} bytes',
  'request.not_json': 'request body is not JSON: {reason}',
  'upload.bad_path': 'invalid upload {field} "{value}"',
  'upload.bad_batch': 'an upload needs a batch id of 8 to 64 letters, digits, "_" or "-"',
  'upload.too_large': 'the upload is larger than the server accepts ({mib} MiB); start it with a higher --max-upload-mb, or import the file with the pont command',
  'upload.no_room': 'no room left for the upload in {folder}: {reason}',
  'request.too_deep': 'request body nests deeper than {depth} levels',
  'port.in_use': 'port {port} is in use by another program: choose another with --port, or leave --port out to take a free one',
  'port.forbidden': 'port {port} may not be used by this user: choose another with --port, or leave --port out to take a free one',
  'internal.cached_stage_input': 'cached stages take no input',
  'internal.read_only_results': 'results read query by query are read-only',

  // Workspace contents
  'workspace.unavailable': 'the workspace {folder} cannot be opened: {reason}',
  'workspace.full': 'the disk holding the workspace {folder} is full: free some room, then run the same command again (what was stored is kept, and the work resumes)',
  'workspace.busy': 'the workspace {folder} is being written by another process (another pont command or the application) and stayed locked too long: run the command again when that one has finished (what was stored is kept, and the work resumes)',
  'workspace.read_only': 'the workspace {folder} cannot be written (a read-only disk or folder): make it writable, or choose another workspace',
  'collection.missing': 'no collection named "{collection}"',
  'collection.other_language': 'collection "{collection}" exists with language {existing}, not {lang}',
  'query_set.missing': 'no query set named "{name}"',
  'query_set.other_collection': 'query set "{name}" already exists for another collection',
  'query_set.belongs_elsewhere': 'query set "{name}" belongs to collection "{other}", not "{collection}"',
  'query_set.other_variety': 'query set "{name}" exists in variety {existing}, not {lang}',
  'document.missing': 'no document "{id}" in collection "{collection}"',
  'demo.unreadable': 'cannot read the demo manifest {file}: {reason}',
  'demo.malformed': 'the demo manifest {file} is malformed',

  // Importing
  'path.missing': '{path} does not exist',
  'path.not_folder': '{path} is not a folder',
  'path.not_file': '{path} is not a file',
  'folder.empty': '{path} holds no files',
  'format.not_allowed': '{name}: the {format} format cannot be used here (use {allowed})',
  'format.unknown': 'cannot tell the format of {name} from its name; pass --format tsv or --format jsonl',
  'records.json_array': "{file} is a JSON array; Pont reads JSON Lines (one object per line), e.g. converted with: jq -c '.[]'",
  'import.strict_stop': 'stopped at the first bad record (--strict): {issue}',
  'import.kept_before': '{problem}; what came before it is kept',
  'import.missing': 'no import #{id}',
  'import.running': 'import #{id} is running; stop it first',
  'import.finished': 'import #{id} is {state}: only an unfinished import can be rolled back',
  'import.busy': 'this import is already running (import #{id}{process}); wait for it, or stop it',
  'file.unreadable': 'cannot read {file}: {reason}',
  'file.unreadable_kind': 'cannot read {what} {file}: {reason}',
  'file.bad_json': '{file} is not valid JSON: {reason}',
  'file.bad_gzip': '{file} is not a valid gzip file: {reason}',
  'file.gzip_truncated': '{file} {problem}; the last complete line read is line {line}',
  'file.line_too_long': '{name}: line {line} is longer than {mib} MiB; is this a line-based file?',
  'import.all_bad': 'nothing imported from {source}: all {bad} records are bad',
  'import.one_bad': 'nothing imported from {source}: its one record is bad',
  'import.all_skipped': 'nothing imported from {source}: {skipped} skipped, none could be read',
  'import.no_records': 'nothing imported: {source} holds no records',

  // Lexical indexes
  'analyzer.invalid': 'invalid analyser "{spec}": {reason}',
  'index.none': 'collection "{collection}" has no index yet: pont index build --collection {collection} --analyzer chargram:3-5+fold',
  'index.missing': 'collection "{collection}" has no index named "{name}" ({known})',
  'index.building': 'index "{name}" is still being built (run pont index build again to resume it)',
  'index.other_analyzer': 'index "{name}" exists with analyser {analyzer} (title weight {titleWeight}); drop it or use --rebuild',
  'index.old_version': 'index "{name}" was built with version {built} of analyser {analyzer}, this Pont has version {current}: rebuild it (pont index rebuild)',
  'dense.needs_dense_model': 'dense indexes need a dense model',
  'dense.missing': 'collection {collection} has no dense index for model {model}; build it with: pont dense index --collection {collection} --model {model}',
  'vectors.bad_file': '{file} is not a float32 matrix Pont can read: {reason}',
  'vectors.count_mismatch': '{file} holds {vectors} vectors but {docnos} has {count} document ids: one id per row, in the same order',
  'vectors.unknown_docno': '{file}, line {line}: document "{docno}" is not in collection "{collection}"',
  'vectors.duplicate_docno': '{file}, line {line}: document "{docno}" appears twice',
  'vectors.dimension': '{file}: vectors of dimension {got}, but {model} makes vectors of dimension {expected}',

  // Runs, qrels, measures, evaluation
  'queries.bad_line': '{file}, line {line}: expected qid<TAB>text',
  'run.bad_fields': '{file}, line {line}: a run line has 6 fields (qid Q0 docno rank score runid), this one has {count}',
  'run.bad_score': '{file}, line {line}: the score "{value}" is not a number',
  'run.duplicate': '{where}: document {doc} is retrieved twice for query {qid}',
  'run.file_missing': 'run file {file} does not exist',
  'run.exists': 'a run named "{name}" already exists',
  'run.missing': 'no run named "{name}"',
  'run.unknown': 'no run file or stored run named "{name}"',
  'run.not_stored': 'only runs stored in the workspace keep their evaluations',
  'qrels.bad_fields': '{file}, line {line}: a qrels line has 4 fields (qid iter docno rel), this one has {count}',
  'qrels.bad_relevance': '{file}, line {line}: the relevance "{value}" is not an integer',
  'qrels.duplicate': '{where}: document {doc} is judged twice for query {qid}',
  'qrels.unknown': 'no qrels file or query set named "{name}"',
  'qrels.none': 'query set "{name}" has no relevance judgements',
  'measure.invalid': 'measure "{measure}": {reason}',
  'evaluation.no_measure': 'the evaluation has no {measure}',
  'test.unpaired': 'a paired test needs the same queries on both sides ({left} against {right})',

  // Pipelines and experiments
  'pipeline.stage_shape': '{where}: a stage is an object with exactly one key, its kind',
  'pipeline.unknown_kind': '{where}: unknown stage kind "{kind}" (known: {known})',
  'pipeline.bad_params': '{where}: invalid parameters for {kind}: {problems}',
  'fuse.needs_qrels': 'fuse: alpha "cv" needs qrels (a qrels file or a query set) to tune on',
  'rerank.no_input': '{stage} has no documents to re-rank: give it an input stage, e.g. {"rerank": {"model": "{model}", "input": {"bm25": {}}}}',
  'rerank.unknown_document': '{stage}: document {doc} is not in collection {collection}',
  'experiment.invalid': '{file}: {problems}',
  'experiment.unreadable': 'cannot read experiment {file}: {reason}',
  'experiment.bad_json': '{where}: not valid JSON ({reason})',
  'experiment.no_qrels': '{file}: query set {name} gives queries but no qrels',
  'experiment.no_query_set': '{file}: no query set "{name}" in the workspace',
  'experiment.no_collection': '{file}: no collection "{name}" in the workspace',
  'experiment.no_shared_topic': 'query sets {a} and {b} share no topic (paired by {pairBy})',

  // Training sets and training
  'pairs.missing': 'no training set named "{name}" (see `pont pairs list`)',
  'pairs.other_languages': 'training set "{name}" pairs {existingFrom} → {existingTo}, not {from} → {to}',
  'pairs.bad_columns': '{file}: columns "{columns}": {reason}',
  'pairs.unknown_columns': '{file}: cannot tell the columns of a line with {count} tab-separated fields; pass --columns, e.g. id,low,high,weight',
  'pairs.unknown_format': 'cannot tell the format of {name} from its name; pass --format ({formats})',
  'pairs.empty_file': '{path} holds no pairs',
  'training.other_settings': 'an unfinished training of {model} used other settings or pairs; run it with the same ones to resume, or pass --restart to start over',
  'training.no_sources': 'no training pairs: give at least one pair set',
  'training.no_pairs': 'the pair sets {sets} hold no pairs',
  'training.pairs_changed': 'the pair sets changed while being read ({read} pairs, expected {expected})',
  'training.checkpoint_missing': 'the checkpoint of {model} ({checkpoint}) is missing from {folder}; pass --restart to start over',
  'training.not_checkpoint': '{file} is not a Pont training checkpoint',
  'training.checkpoint_truncated': '{file} is truncated (array {array})',
  'training.not_trainable': 'model {model} is a {family} model; only models Pont trained ({trainable}) can be trained further',
  'training.no_embeddings': '{file} has no embeddings initialiser',

  'pairs.format_unclear': 'cannot tell the format of {name}: {reason}; pass --format ({formats})',
  'pairs.tmx_not_utf8': '{file}: line {line} is not valid UTF-8 (TMX files are read as UTF-8)',
  'pairs.tmx_unterminated': '{file}: a <tu> starting at line {line} does not end',
  'pairs.not_tmx': '{file} is not a TMX file (no <tmx> element)',
  'pairs.not_aligned': 'the two files are not aligned: {short} has {lines} lines, {long} more',
  'pairs.moses_needs_high': 'Moses text needs its high-language file: pass --high FILE, or name the files CORPUS.{from} and CORPUS.{to}',
  'export.folder_not_empty': '{folder} exists and is not empty; export into a new or empty folder',

  // Search by variety
  'auto.needs_variety': 'the auto stage needs a variety ({"auto": {"variety": "oc"}}) when its queries belong to no query set',

  'feedback.none_helpful': 'no result of {collection} was marked helpful for {variety} yet',
  'feedback.no_judgements': 'no result of {collection} was judged for {variety} yet',

  // Bridges
  'bridge.missing': 'no bridge named "{name}" (see `pont bridge list`)',
  'bridge.training': 'bridge "{name}" is still training',
  'bridge.still_training': 'bridge "{name}" is still training (run pont bridge train again with the same options to resume it)',
  'bridge.not_file': '{file}: not a bridge file ({reason})',
  'bridge.bad_file': '{file}: {problems}',
  'bridge.other_analyzer': '{file}: the bridge was learned on words analysed by {spec} version {version}, this Pont uses {current} version {currentVersion}',
  'bridge.import_exists': 'bridge "{name}" exists already (import it under another name with --name)',
  'pipeline.needs_query_set': 'the {field} {name} is chosen by query set, and these queries come from no query set it names',
  'bridge.no_index': 'collection "{collection}" has no index a bridge can search: pont index build --collection {collection} --analyzer chargram:3-5+fold',
  'bridge.no_pairs': 'name at least one training set (--pairs)',
  'bridge.exists': 'bridge "{name}" exists already (pont bridge delete {name} first, or choose another name)',
  'bridge.other_settings': 'bridge "{name}" was begun with other training sets or parameters: resume it with the same options, or delete it',
  'bridge.training_failed': 'training bridge "{name}": {reason}',
  'bridge.no_rm3': 'a bridged search does not combine with RM3 or a fusion method',

  'pairs.no_judgements': 'query set "{name}" has no judgements',
  'pairs.mine_same_set': 'mine into a new set (--name), not into the set mined from',
  'adapter.other_model': 'adapter {adapter} was trained for model {trained}, not {model}',
  'adapter.dimension': 'adapter {adapter} maps {dim}-dimensional vectors, not {got}',
  'adapter.missing': 'no query adapter named {adapter} (see `pont train adapter`)',
  'adapter.exists': 'a query adapter named {adapter} already exists',

  // Content packs
  'pack.none_in_folder': 'the folder {folder} holds no content pack (*{extension})',
  'pack.empty': 'a pack needs at least one item: name a --collection, --queries, --bridge or --model',
  'pack.unusable': '{file} is not a usable Pont pack: {field}: {reason}',
  'pack.unopenable': 'cannot open the pack {file}: {reason}',
  'pack.part_missing': '{file}: part {part} ({kind} {name}) is missing from the pack',
  'pack.part_size': '{file}: part {part} ({kind} {name}) has {size} bytes instead of {bytes}: the pack is damaged or was altered',
  'pack.part_mismatch': '{file}: part {part}{what} does not match its sha256 in the manifest: the pack is damaged or was altered; nothing was installed',
  'pack.bad_signature': '{file}: {manifest} does not match its signature (key {key}): the pack was altered after it was signed; nothing was installed',
  'pack.altered': '{file} is damaged or was altered: {part} ({reason}){more}',
  'pack.unsigned': '{file} is not signed; nothing was installed. Trust its key with --trust KEY.pub, or install it anyway with --allow-untrusted',
  'pack.untrusted': '{file} is signed by key {key}, which this workspace does not trust; nothing was installed. Trust its key with --trust KEY.pub, or install it anyway with --allow-untrusted',
  'pack.clashes': '{count} item(s) of pack {name} already exist in this workspace; install with --replace to replace them, or remove them first',
  'pack.needs_items': 'pack {name} needs items this workspace does not have',
  'pack.installed': 'a pack named {name} is already installed (another version); install with --replace to replace it',
  'pack.missing': 'no installed pack named {name} (installed: {known})',
  'pack.unknown_kind': 'this Pont cannot install items of kind "{kind}" (it knows {known}); update Pont',
  'pack.no_collection': 'part {part} holds no collection',
  'pack.no_model_manifest': "the manifest's model {model} has no model manifest",
  'pack.unsafe_target': 'part {part} of model {model} has no safe target path',
  'pack.query_set_incomplete': "the manifest's query set {name} does not say its language and collection",
  'pack.part_not_sqlite': '{file}: part {part} ({kind} {name}) is not a SQLite database: {reason}',
  'pack.part_unexpected_table': '{file}: part {part} holds an unexpected table {table}',
  'pack.part_unreadable': '{file}: part {part} ({kind} {name}) cannot be read: {reason}',
  'pack.key_not_ed25519': '{file} holds a {type} key; packs are signed with Ed25519 keys (pont pack keygen)',
  'pack.not_private_key': '{file} is not a private key in PEM form ({reason})',
  'pack.not_public_key': '{file} is not a public key in PEM form ({reason})',
  'path.exists': '{path} already exists; choose another name or move it away',

  // Models
  'model.tokenizer_bad': '{file}: {field} {reason}',
  'model.exists': 'a model named {model} already exists; delete it first or choose another name',
  'model.missing': 'no model named {model} (imported: {known})',
  'model.wrong_role': 'model {model} is a {role} model; {what} needs {allowed}',
  'model.not_encoder': 'model {model} is a {role} re-ranker: it scores pairs and does not encode texts',
  'model.no_precision': 'model {model} has no {precision} variant (it has {have})',
  'model.no_decoder': 'model {model} has no decoder',
  'model.no_pooling': 'model {model}: output {output} is per token but the manifest says no pooling',
  'model.worker_stopped': 'the worker running model {model} stopped (exit {exit})',
  'model_pack.invalid': '{problem}',
  'model.tokenizer_unreadable': '{name} is not a tokenizer this version can read: {reason}',
  'model.onnx_unreadable': '{file} is not a readable ONNX model: {reason}',
  'provider.cannot_run': 'the {provider} execution provider cannot run {file}: {reason}',
  'provider.none': 'no execution provider can run {file}: {reasons}',
  'download.http': '{url}: HTTP {status}',
  'download.bad_sums': '{url} line {line} is not "sha256  path"',
  'download.checksum': '{file} from {url} does not match its checksum (expected sha256 {expected}, got {actual}); it was removed, download again',
  'download.missing_file': '{url} is listed in SHA256SUMS but the mirror does not have it',
  'download.unreachable': 'cannot reach {url}: {reason}',
} as const;

export type MessageId = keyof typeof engineMessages;
export type MessageParams = Record<string, string | number>;

export function isMessageId(id: string): id is MessageId {
  return Object.hasOwn(engineMessages, id);
}

/** Fills a template's `{name}` parameters; a parameter the caller did not give stays as written. */
export function fillTemplate(template: string, params: MessageParams): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : m));
}

export function englishMessage(id: MessageId, params: MessageParams): string {
  return fillTemplate(engineMessages[id], params);
}
