/** The file formats a training set can be imported from (the API's and the CLI's `--format`). */
export const PAIR_FORMATS = ['tsv'] as const;
export type PairFormat = (typeof PAIR_FORMATS)[number];
