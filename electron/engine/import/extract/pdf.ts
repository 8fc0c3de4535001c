import { extractText, getDocumentProxy, getMeta } from 'unpdf';
import type { Extracted } from './types.ts';

/** The text of a PDF, page by page (pages become paragraphs), and its document title when it has one. */
export async function extractPdf(bytes: Uint8Array): Promise<Extracted> {
  const pdf = await getDocumentProxy(bytes);
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
  } finally {
    await pdf.loadingTask.destroy();
  }
}
