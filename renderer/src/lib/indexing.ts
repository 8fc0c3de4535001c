import type { BuildReport } from '../../../electron/api/contract/lexical.ts';
import type { Progress, PontApi } from './api.ts';

/**
 * Builds what search uses by default, as a seeded demo has it: a word index in the collection's language for
 * same-language matches, and an accent-folded character 3–5-gram index for the partial matches between varieties
 * (search fuses the two).
 */
export async function buildIndexes(api: PontApi, collection: string, signal: AbortSignal, onProgress: (p: Progress) => void): Promise<BuildReport> {
  await api.call('index.build', { collection }, { signal, onProgress });
  return api.call('index.build', { collection, analyzer: 'chargram:3-5+fold' }, { signal, onProgress });
}
