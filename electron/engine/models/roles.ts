// The closed vocabularies of a model pack, apart from its zod schema (manifest.ts): the CLI's help lists them, and
// loading zod for that would cost every `pont` call a tenth of a second (issue 12).

/** What a model pack is for, which decides how it is run and scored. */
export const modelRoles = ['dense', 'sparse', 'multi-vector', 'cross-encoder', 'seq2seq'] as const;
export type ModelRole = (typeof modelRoles)[number];

/** `none`: the chosen output is already one vector per text (sentence_embedding, dense_vecs, pooler_output). */
export const poolings = ['cls', 'mean', 'last-token', 'none'] as const;
export type Pooling = (typeof poolings)[number];

export const precisions = ['fp32', 'fp16', 'int8'] as const;
export type Precision = (typeof precisions)[number];
