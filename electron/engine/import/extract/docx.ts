import mammoth from 'mammoth';
import { extractHtml } from './html.ts';
import type { Extracted } from './types.ts';

// Word's Title style is not one of mammoth's default mappings; headings are.
const styleMap = ["p[style-name='Title'] => h1:fresh", 'p.Title => h1:fresh'];

/** A Word document through mammoth's HTML, so that its Title style (or first heading) becomes the title. */
export async function extractDocx(bytes: Buffer): Promise<Extracted> {
  const result = await mammoth.convertToHtml({ buffer: bytes }, { styleMap });
  return extractHtml(result.value);
}
