/** The file formats a training set can be imported from (the API's and the CLI's `--format`). */
export const PAIR_FORMATS = ['tsv', 'moses', 'tmx', 'po', 'mo', 'wordlist', 'flagembedding'] as const;
export type PairFormat = (typeof PAIR_FORMATS)[number];

/** The formats a training set can be written to. */
export const PAIR_EXPORT_FORMATS = ['flagembedding', 'tsv'] as const;
export type PairExportFormat = (typeof PAIR_EXPORT_FORMATS)[number];
