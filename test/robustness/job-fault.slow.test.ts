import { jobFaultSuite } from './job-fault-suite.ts';

jobFaultSuite({ kills: 20, docs: 16_000, pairs: 2400, epochs: 60, querySets: 10, queries: 60 });
