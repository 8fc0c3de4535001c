import { describe, expect, it } from 'vitest';
import { encodeTemplate, padBatch, TextTokenizer } from '../../electron/engine/models/tokenizer.ts';
import { unigramTokenizer, wordPieceTokenizer } from './tokenizers.ts';

describe('WordPiece tokenizer.json', () => {
  const tok = new TextTokenizer(wordPieceTokenizer());

  it('lower-cases, splits sub-words and adds [CLS] … [SEP]', () => {
    // [CLS] the cat ##s sat on the mat . [SEP]
    expect(tok.encode('The cats sat on the mat.', 64).ids).toEqual([2, 5, 6, 19, 7, 8, 5, 9, 25, 3]);
    expect(tok.encode('Occitan', 64).ids).toEqual([2, 31, 32, 33, 3]);
    expect(tok.encode('zebra', 64).ids).toEqual([2, 1, 3]);
  });

  it('encodes pairs with segment ids', () => {
    const e = tok.encode('the cat', 64, 'searching documents');
    expect(e.ids).toEqual([2, 5, 6, 3, 16, 20, 18, 19, 3]);
    expect(e.typeIds).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 1]);
  });

  it('truncates to the maximum length, keeping the closing [SEP], and reports the full length', () => {
    const e = tok.encode('The cats sat on the mat.', 5);
    expect(e.ids).toEqual([2, 5, 6, 19, 3]);
    expect(e.fullLength).toBe(10);
  });

  it('truncates pairs longest-first so a short query survives a long passage', () => {
    const e = tok.encode('the cat', 8, 'the dog ran over the bridge on the river');
    expect(e.ids).toEqual([2, 5, 6, 3, 5, 10, 11, 3]);
    expect(e.typeIds).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
  });

  it('pads a batch to its longest text with the pad id and a zero mask', () => {
    const b = padBatch([tok.encode('the cat', 64), tok.encode('the cat sat on the mat', 64)], tok.padId);
    expect(b.seqLen).toBe(8);
    expect(Array.from(b.inputIds.slice(0, 8), Number)).toEqual([2, 5, 6, 3, 0, 0, 0, 0]);
    expect(Array.from(b.attentionMask.slice(0, 8), Number)).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
  });
});

describe('Unigram (SentencePiece) tokenizer.json', () => {
  const tok = new TextTokenizer(unigramTokenizer());

  it('segments with the Metaspace marker and appends </s>', () => {
    expect(tok.tokens('Query: the river')).toEqual(['▁Query', ':', '▁the', '▁river']);
    expect(tok.encode('the cat sat', 64).ids).toEqual([10, 11, 12, 1]);
    expect(tok.tokenId('▁yes')).toBe(8);
    expect(tok.padId).toBe(0);
  });

  it('prefers the most probable segmentation and truncates before </s>', () => {
    expect(tok.tokens('rivers')).toEqual(['▁river', 's']);
    expect(tok.encode('the bridge river', 3).ids).toEqual([10, 13, 1]);
  });

  it('cuts the document of a re-ranking prompt, never the words the answer follows', () => {
    const doc = 'the river the bridge the dog the cat the mat the pont';
    const whole = tok.encode(`Query: the cat Document: ${doc} Relevant:`, 512);
    expect(encodeTemplate(tok, 'Query: the cat Document:', doc, ' Relevant:', 512).ids).toEqual(whole.ids);
    const cut = encodeTemplate(tok, 'Query: the cat Document:', doc, ' Relevant:', 12);
    expect(cut.ids).toHaveLength(12);
    expect(cut.fullLength).toBe(whole.ids.length);
    // ▁Query : ▁the ▁cat ▁Document : | ▁the ▁river ▁the | ▁Relevant : </s>
    expect(cut.ids).toEqual([4, 5, 10, 11, 6, 5, 10, 14, 10, 7, 5, 1]);
  });
});
