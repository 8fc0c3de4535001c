import mammoth from 'mammoth';
import { extractHtml } from './html.ts';
import type { Extracted } from './types.ts';

// Word's Title style is not one of mammoth's default mappings; headings are.
const styleMap = ["p[style-name='Title'] => h1:fresh", 'p.Title => h1:fresh'];

/** A Word document through mammoth's HTML, so that its Title style (or first heading) becomes the title. */
export async function extractDocx(bytes: Buffer): Promise<Extracted> {
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: bytes }, { styleMap })).value;
  } catch (e) {
    // mammoth passes on its zip reader's message, which talks about zip internals and links to its manual.
    throw new Error('not a readable Word document (the file is damaged, or is an older .doc or another kind of file saved as .docx)', { cause: e });
  }
  return extractHtml(html);
}
