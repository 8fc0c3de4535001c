// Hand-written tokenizer.json files in the two families the seed paper's models use: BERT's WordPiece (BGE, E5,
// cross-encoders) and SentencePiece Unigram (mT5, XLM-RoBERTa).

export const wordPieceVocab = [
  '[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]',
  'the', 'cat', 'sat', 'on', 'mat', 'dog', 'ran', 'a', 'bridge', 'river',
  'over', 'search', 'find', 'document', '##s', '##ing', 'bank', 'pont', 'ca', '##t', '.', ',', 'is', 'where', 'ost',
  '##al', 'oc', '##cit', '##an',
];

/** A BERT-style WordPiece tokenizer: lower-casing, punctuation split, [CLS] … [SEP] (… [SEP]) with segment ids. */
export function wordPieceTokenizer(): object {
  const vocab: Record<string, number> = {};
  wordPieceVocab.forEach((t, i) => {
    if (!(t in vocab)) vocab[t] = i;
  });
  const special = (content: string, id: number) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special('[PAD]', 0), special('[UNK]', 1), special('[CLS]', 2), special('[SEP]', 3), special('[MASK]', 4)],
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}

export const unigramPieces: [string, number][] = [
  ['<pad>', 0], ['</s>', 0], ['<unk>', 0],
  ['▁', -2], ['▁Query', -3], [':', -3], ['▁Document', -3], ['▁Relevant', -3], ['▁yes', -4], ['▁no', -4],
  ['▁the', -3], ['▁cat', -5], ['▁sat', -5], ['▁bridge', -5], ['▁river', -5], ['▁pont', -5], ['▁dog', -5],
  ['▁on', -4], ['▁mat', -6], ['s', -4], ['a', -5], ['t', -5], ['c', -5], ['o', -5], ['n', -5], ['r', -5], ['i', -5],
  ['e', -5], ['d', -5], ['g', -5], ['m', -5], ['p', -5], ['b', -5], ['v', -5], ['▁ri', -7], ['ver', -7],
];

/** A T5/mT5-style SentencePiece Unigram tokenizer: Metaspace pre-tokenizer, "</s>" appended, no segment ids. */
export function unigramTokenizer(): object {
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      { id: 0, content: '<pad>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
      { id: 1, content: '</s>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
      { id: 2, content: '<unk>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
    ],
    normalizer: null,
    pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
      pair: [
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '</s>', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 0 } },
        { SpecialToken: { id: '</s>', type_id: 0 } },
      ],
      special_tokens: { '</s>': { id: '</s>', ids: [1], tokens: ['</s>'] } },
    },
    decoder: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
    model: { type: 'Unigram', unk_id: 2, vocab: unigramPieces, byte_fallback: false },
  };
}
