import type { BuildReport } from '../../../electron/api/contract/lexical.ts';
import type { Progress, PontApi } from './api.ts';

/**
 * Builds what search uses by default: a word index for same-language matches and a character n-gram index for the
 * partial matches between varieties (search fuses the two).
 */
export async function buildIndexes(api: PontApi, collection: string, signal: AbortSignal, onProgress: (p: Progress) => void): Promise<BuildReport> {
  await api.call('index.build', { collection }, { signal, onProgress });
  return api.call('index.build', { collection, analyzer: 'chargram:3-5' }, { signal, onProgress });
}
