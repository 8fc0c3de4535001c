import { describe, expect, it } from 'vitest';
import { HashedTokenizer } from '../../electron/engine/models/hashed-tokenizer.ts';
import { importPack, getPack } from '../../electron/engine/models/packs.ts';
import { ModelRunner, type Encoded } from '../../electron/engine/models/runner.ts';
import { noJob } from '../../electron/engine/jobs/progress.ts';
import { BagEncoder } from '../../electron/engine/training/encoder.ts';
import { readPack, writePack } from '../../electron/engine/training/pack.ts';
import type { TrainingRecord } from '../../electron/engine/models/manifest.ts';
import { tempDir, tempWorkspace } from '../helpers/workspace.ts';

const record: TrainingRecord = {
  from: ['oc'],
  to: 'fr',
  pairSets: [{ name: 'tiny', pairs: 3, fingerprint: null }],
  base: null,
  settings: { dim: 8 },
  steps: 0,
  finalLoss: null,
  trainedAt: '2026-12-03T00:00:00Z',
};

const texts = ['Dobrir lo fichièr', 'Enregistrar coma…', 'Paramètres de la pagina', 'l’estructura', '', 'Ouvrir le fichier enregistré sous un autre nom'];

describe('a trained encoder exported as a model pack', () => {
  for (const projection of [0, 6]) {
    it(`imports into a fresh workspace and encodes the trainer's vectors through onnxruntime (projection ${projection})`, async () => {
      const tok = HashedTokenizer.create(['chargram:3-5+fold', 'words+fold'], 997);
      const enc = BagEncoder.create({ buckets: 997, dim: 8, projection }, 9);
      const dir = tempDir();
      writePack(dir, enc, tok.spec, record, 256);
      const ws = tempWorkspace();
      const { manifest } = await importPack(ws, dir, 'oc-fr-bag', {}, noJob);
      expect(manifest).toMatchObject({ role: 'dense', family: 'pont-bag', pooling: 'mean', normalize: true, dimension: projection || 8, vocabSize: 997 });
      expect(manifest.maxLength).toEqual({ query: 256, passage: 256 });
      expect(manifest.training).toMatchObject({ from: ['oc'], to: 'fr' });
      const pack = getPack(ws, 'oc-fr-bag');
      const runner = await ModelRunner.open(pack.dir, manifest, { provider: 'cpu', batchSize: 4 });
      const got = await runner.encode(texts, 'query');
      const want = enc.vectors(texts.map((t) => tok.ids(t, 256)));
      got.forEach((e, i) => {
        const v = (e as Extract<Encoded, { kind: 'dense' }>).vector;
        expect(v.length).toBe(projection || 8);
        for (let k = 0; k < v.length; k++) expect(v[k]).toBeCloseTo(want[i]![k]!, 5);
      });
      await runner.release();
      // Read back for further training: the same weights.
      const back = readPack(pack.dir, manifest);
      expect(back.encoder.table).toEqual(enc.table);
      expect(back.encoder.proj).toEqual(enc.proj);
      expect(back.tokenizer.spec).toEqual(tok.spec);
    });
  }
});
