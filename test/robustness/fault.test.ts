import { faultSuite } from './fault-suite.ts';

// A bounded sample for CI; test/robustness/fault.slow.test.ts kills each job twenty times on a larger collection.
faultSuite(2, 30_000);
