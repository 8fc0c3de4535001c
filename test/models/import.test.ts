import { existsSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PontError } from '../../electron/engine/errors.ts';
import { tempDir, tempEngine } from '../helpers/workspace.ts';
import { writeCrossEncoderPack, writeDensePack, writeSeq2SeqPack, WP_VOCAB } from './packs.ts';

async function importError(dir: string, extra: Record<string, unknown> = {}): Promise<PontError> {
  const engine = tempEngine();
  try {
    await engine.call('model.import', { path: dir, name: 'm', ...extra });
  } catch (e) {
    expect(e).toBeInstanceOf(PontError);
    // Nothing half-imported is left behind.
    expect(await engine.call('model.list', {})).toEqual([]);
    return e as PontError;
  }
  throw new Error('the import should have failed');
}

describe('model pack import', () => {
  it('imports a Hugging Face–layout folder, infers the manifest and copies the files into the workspace', async () => {
    const src = tempDir();
    writeDensePack(src, { pooling: 'cls', normalize: true, prompts: { query: 'query: ', passage: 'passage: ' } });
    const engine = tempEngine();
    const { manifest } = await engine.call('model.import', { path: src, name: 'bge-tiny' });
    expect(manifest).toMatchObject({
      role: 'dense',
      family: 'bert',
      pooling: 'cls',
      normalize: true,
      output: 'last_hidden_state',
      dimension: 8,
      vocabSize: WP_VOCAB,
      prefixes: { query: 'query: ', passage: 'passage: ' },
      maxLength: { query: 64, passage: 128 },
      inputs: { inputIds: 'input_ids', attentionMask: 'attention_mask' },
      onnx: { fp32: 'model.onnx' },
    });
    expect(manifest.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.files.map((f) => f.path)).toEqual(['1_Pooling/config.json', 'config.json', 'config_sentence_transformers.json', 'model.onnx', 'modules.json', 'sentence_bert_config.json', 'tokenizer.json', 'tokenizer_config.json']);
    rmSync(src, { recursive: true }); // the USB stick is gone: the pack still works
    const dir = join(engine.workspace.dir, 'models', 'bge-tiny');
    expect(existsSync(join(dir, 'model.onnx'))).toBe(true);
    expect((await engine.call('model.show', { name: 'bge-tiny', verify: true })).verified).toBe(true);
    const list = await engine.call('model.list', {});
    expect(list.map((m) => [m.name, m.role, m.dimension])).toEqual([['bge-tiny', 'dense', 8]]);

    const enc = await engine.call('model.encode', { model: 'bge-tiny', texts: ['the cat', 'the river'], kind: 'query', provider: 'cpu' });
    expect(enc.runtime.provider).toBe('cpu');
    const v = enc.texts[0] as { dense: number[] };
    expect(v.dense).toHaveLength(8);
    expect(Math.hypot(...v.dense)).toBeCloseTo(1, 5);

    // A damaged copy is detected.
    appendFileSync(join(dir, 'tokenizer.json'), ' ');
    expect((await engine.call('model.show', { name: 'bge-tiny', verify: true })).verified).toBe(false);

    await engine.call('model.delete', { name: 'bge-tiny' });
    expect(existsSync(dir)).toBe(false);
    await expect(engine.call('model.show', { name: 'bge-tiny' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('re-ranks through the API with a cross-encoder and a seq2seq pack, best first', async () => {
    const engine = tempEngine();
    const ce = tempDir();
    writeCrossEncoderPack(ce);
    const s2s = tempDir();
    writeSeq2SeqPack(s2s);
    await engine.call('model.import', { path: ce, name: 'ce' });
    const { manifest } = await engine.call('model.import', { path: s2s, name: 'mt5' });
    expect(manifest.onnx).toEqual({ fp32: 'onnx/encoder_model.onnx' });
    expect(manifest.decoder).toEqual({ fp32: 'onnx/decoder_model.onnx' });
    const docs = ['the river', 'the cat sat on the mat', 'a dog ran'];
    for (const model of ['ce', 'mt5']) {
      const r = await engine.call('model.rerank', { model, query: 'the cat', docs, provider: 'cpu' });
      expect(r.ranked.map((x) => x.index).sort()).toEqual([0, 1, 2]);
      for (let i = 1; i < r.ranked.length; i++) expect(r.ranked[i - 1]!.score).toBeGreaterThanOrEqual(r.ranked[i]!.score);
    }
    await expect(engine.call('model.encode', { model: 'ce', texts: ['x'] })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('refuses a name that exists', async () => {
    const engine = tempEngine();
    const src = tempDir();
    writeDensePack(src);
    await engine.call('model.import', { path: src, name: 'm' });
    await expect(engine.call('model.import', { path: src, name: 'm' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('names the file and field of every mismatch', async () => {
    const cases: [string, (dir: string) => void, Record<string, unknown>, RegExp, string, RegExp][] = [
      ['missing input', (d) => writeDensePack(d, { inputIdsName: 'tokens' }), {}, /model\.onnx$/, 'inputs.input_ids', /no input "input_ids" \(its inputs: tokens/],
      ['wrong output rank', (d) => writeDensePack(d, { wrongRank: true, pooling: 'mean' }), { output: 'last_hidden_state', pooling: 'mean' }, /model\.onnx$/, 'outputs.last_hidden_state', /rank 2 .* expected 3/],
      ['vocabulary larger than the embedding matrix', (d) => writeDensePack(d, { embeddingRows: 20 }), {}, /tokenizer\.json$/, 'model.vocab', /34 tokens but the embedding matrix in model\.onnx has 20 rows/],
      ['missing tokenizer.json', (d) => { writeDensePack(d); rmSync(join(d, 'tokenizer.json')); }, {}, /tokenizer\.json$/, '', /tokenizer\.json is missing/],
      ['config.json without model_type', (d) => { writeDensePack(d); writeFileSync(join(d, 'config.json'), '{"hidden_size": 8}'); }, {}, /config\.json$/, 'model_type', /model_type/],
      ['config.json with a wrong type', (d) => { writeDensePack(d); writeFileSync(join(d, 'config.json'), '{"model_type": "bert", "hidden_size": "eight"}'); }, {}, /config\.json$/, 'hidden_size', /hidden_size must be a number/],
      ['config.json that is not JSON', (d) => { writeDensePack(d); writeFileSync(join(d, 'config.json'), '{\n  "model_type": "bert",\n  oops\n}'); }, {}, /config\.json$/, '', /not valid JSON/],
      ['missing model.onnx', (d) => { writeDensePack(d); rmSync(join(d, 'model.onnx')); }, {}, /model\.onnx$/, '', /model\.onnx is missing/],
      ['missing decoder', (d) => { writeSeq2SeqPack(d); rmSync(join(d, 'onnx', 'decoder_model.onnx')); }, {}, /decoder_model\.onnx$/, '', /needs the decoder/],
      ['unknown yes token', (d) => writeSeq2SeqPack(d), { yesToken: '▁oui' }, /tokenizer\.json$/, 'seq2seq.yesToken', /not in the vocabulary/],
      ['no pooling information', (d) => writeDensePack(d, { pooling: null }), { role: 'dense' }, /1_Pooling\/config\.json$/, 'pooling_mode', /--pooling/],
      ['role not inferable', (d) => { writeDensePack(d, { pooling: null }); writeFileSync(join(d, 'config.json'), '{"model_type": "bert", "architectures": ["BertForMaskedLM"]}'); }, {}, /config\.json$/, 'architectures', /--role/],
      ['graph that is not ONNX', (d) => { writeDensePack(d); writeFileSync(join(d, 'model.onnx'), Buffer.from([0x0a, 0xff, 0xff, 0x01])); }, {}, /model\.onnx$/, '', /not a readable ONNX model/],
    ];
    for (const [what, make, extra, file, field, message] of cases) {
      const dir = tempDir();
      make(dir);
      const e = await importError(dir, extra);
      expect(e.message, what).toMatch(message);
      expect(e.details[0]?.file, what).toMatch(file);
      if (field) expect(e.details[0]?.field, what).toBe(field);
      if (what === 'config.json that is not JSON') expect(e.details[0]?.line, what).toBe(3);
    }
  });
});
