import type { JobContext } from '../jobs/progress.ts';
import type { Workspace } from '../store/workspace.ts';

/** A query as pipelines see it: TREC topic id and the text as the user or the query set wrote it. */
export interface PipelineQuery {
  qid: string;
  text: string;
}

/** One retrieved document: its external id (as in qrels and run files) and the stage's score. */
export interface Hit {
  docId: string;
  score: number;
}

/** Ranked hits per query id, each list sorted by descending score. */
export type ResultSet = Map<string, Hit[]>;

export interface StageContext extends JobContext {
  workspace: Workspace;
  /** The collection the pipeline searches. */
  collection: string;
  /** The query set being run, when the queries come from one (stages may pick a model by it). */
  querySet?: string;
}

/**
 * A retrieval pipeline is a composition of stages with one shape, as in PyTerrier: queries in, ranked results out.
 * Retrieval stages ignore `input`; fusion and re-ranking stages transform it.
 */
export interface Stage {
  /** Printable form, e.g. `bm25(words-fr, k1=0.9, b=0.4) >> rerank(mt5-small)`; also the provenance of runs. */
  readonly label: string;
  /** The parameters that produced the results, recorded with every run. */
  readonly provenance: Record<string, unknown>;
  run(queries: readonly PipelineQuery[], ctx: StageContext, input?: ResultSet): Promise<ResultSet>;
}
