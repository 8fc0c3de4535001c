/** What an extractor gets out of one file: its text (paragraphs separated by blank lines) and its title, if any. */
export interface Extracted {
  title: string | null;
  text: string;
}
