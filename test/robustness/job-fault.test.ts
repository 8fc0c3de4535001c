import { jobFaultSuite } from './job-fault-suite.ts';

// A bounded sample for CI; job-fault.slow.test.ts kills each job twenty times on larger inputs.
jobFaultSuite({ kills: 2, docs: 3000, pairs: 600, epochs: 10, querySets: 2, queries: 40 });
