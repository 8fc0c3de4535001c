import mammoth from 'mammoth';
import type { Extracted } from './types.ts';

/** The text of a Word document; mammoth separates paragraphs with blank lines already. */
export async function extractDocx(bytes: Buffer): Promise<Extracted> {
  const result = await mammoth.extractRawText({ buffer: bytes });
  return { title: null, text: result.value };
}
