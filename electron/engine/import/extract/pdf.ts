import { extractText, getDocumentProxy, getMeta } from 'unpdf';
import type { Extracted } from './types.ts';

/** pdf.js's own level for "errors only": its warnings about damaged files would go to the terminal otherwise. */
const ERRORS_ONLY = 0;

/** What went wrong with a PDF, in words for whoever imports the folder (pdf.js names its exceptions). */
function reason(e: unknown): string {
  const name = (e as { name?: string }).name;
  if (name === 'PasswordException') return 'the PDF is protected by a password; save an unprotected copy';
  if (name === 'InvalidPDFException' || name === 'FormatError' || name === 'UnknownErrorException') return 'not a readable PDF (the file is damaged, or is not a PDF)';
  return `not a readable PDF (${(e as Error).message})`;
}

/** The text of a PDF, page by page (pages become paragraphs), and its document title when it has one. */
export async function extractPdf(bytes: Uint8Array): Promise<Extracted> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(bytes, { verbosity: ERRORS_ONLY });
  } catch (e) {
    throw new Error(reason(e), { cause: e });
  }
  try {
    const { text } = await extractText(pdf, { mergePages: false });
    let title: string | null = null;
    try {
      const meta = await getMeta(pdf);
      const t = (meta.info as { Title?: unknown }).Title;
      if (typeof t === 'string' && t.trim()) title = t.trim();
    } catch {
      // A PDF without readable metadata still has text worth importing.
    }
    return { title, text: text.map((p) => p.trim()).filter(Boolean).join('\n\n') };
  } catch (e) {
    throw new Error(reason(e), { cause: e });
  } finally {
    await pdf.loadingTask.destroy();
  }
}
