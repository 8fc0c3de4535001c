/** What an import found wrong: an error rejects a record, a warning keeps it (an unknown document in qrels…). */
export interface ImportIssue {
  severity: 'error' | 'warning';
  file: string;
  line?: number;
  field?: string;
  reason: string;
}

export interface ImportCounts {
  added: number;
  updated: number;
  unchanged: number;
  /** Records rejected (each one is an error issue). */
  bad: number;
  warnings: number;
}

export interface ImportReport extends ImportCounts {
  /** The import's id: its full list of problems is `import.problems` (CLI: `pont collection problems ID`). */
  importId: number;
  collection: string;
  /** Queries and qrels imports: the query set written to. */
  querySet?: string;
  source: string;
  format: string;
  /** The first problems found, in the order met; all of them are kept in the workspace (`import_errors`). */
  issues: ImportIssue[];
  /** The import went on from where an interrupted run of it stopped. */
  resumedFromLine?: number;
  resumedAfterFiles?: number;
  /** Things the user should know that are not about one record (a rollback, skipped files…). */
  notes: string[];
  seconds: number;
}

export const REPORTED_ISSUES = 20;

export function zeroCounts(): ImportCounts {
  return { added: 0, updated: 0, unchanged: 0, bad: 0, warnings: 0 };
}
