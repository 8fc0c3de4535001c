import { jobFaultSuite } from './job-fault-suite.ts';

// A bounded sample for CI; job-fault.slow.test.ts kills each job twenty times on larger inputs. Training epochs of
// 2,400 pairs: with 600, a quiet machine ran the rest of the training within a kill's 60 ms window, and the second
// kill never came.
jobFaultSuite({ kills: 2, docs: 3000, pairs: 2400, epochs: 10, querySets: 2, queries: 40 });
