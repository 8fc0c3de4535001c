import { fuzzSuite } from './fuzz-suite.ts';

// A bounded sample for CI; fuzz.slow.test.ts feeds each importer 2,500 damaged files (10,000 imports in all), and
// the run and qrels readers of evaluation 2,500 each.
fuzzSuite(100);
