import { jobFaultSuite } from './job-fault-suite.ts';

jobFaultSuite({ kills: 20, docs: 10_000, pairs: 600, epochs: 24, querySets: 6, queries: 60 });
