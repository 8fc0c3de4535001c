/**
 * Splits a long text into passages of about `maxWords` words for retrieval, cutting at paragraph and then sentence
 * boundaries, so that a passage reads as a whole; only a sentence longer than a passage is cut between words.
 */
export function splitPassages(text: string, maxWords: number): string[] {
  const units: { text: string; words: number; paragraphEnd: boolean }[] = [];
  for (const para of text.split(/\n\s*\n/)) {
    const p = para.replace(/\s+/g, ' ').trim();
    if (!p) continue;
    const sentences = p.match(/[^.!?…。]+(?:[.!?…。]+["'»”)\]]*|$)\s*/g) ?? [p];
    for (const s of sentences) {
      const words = s.trim().split(' ').filter(Boolean);
      for (let i = 0; i < words.length; i += maxWords) {
        const part = words.slice(i, i + maxWords);
        units.push({ text: part.join(' '), words: part.length, paragraphEnd: false });
      }
    }
    if (units.length > 0) units[units.length - 1]!.paragraphEnd = true;
  }
  const passages: string[] = [];
  let passage = '';
  let words = 0;
  let afterParagraph = false;
  for (const u of units) {
    // Cut where the passage would overflow, or at a paragraph's end once the passage is mostly full.
    if (words > 0 && (words + u.words > maxWords || (afterParagraph && words >= maxWords * 0.75))) {
      passages.push(passage);
      passage = '';
      words = 0;
    }
    passage += words === 0 ? u.text : (afterParagraph ? '\n\n' : ' ') + u.text;
    words += u.words;
    afterParagraph = u.paragraphEnd;
  }
  if (words > 0) passages.push(passage);
  return passages;
}
