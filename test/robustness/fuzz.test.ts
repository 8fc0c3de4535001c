import { fuzzSuite } from './fuzz-suite.ts';
import { importerFuzzSuite } from './importer-fuzz-suite.ts';

// A bounded sample for CI; fuzz.slow.test.ts feeds each importer 2,500 damaged files (10,000 imports in all), and
// the run and qrels readers of evaluation 2,500 each; each training-set format, model packs and content packs
// 1,500 each (13,500 in all).
fuzzSuite(100);
importerFuzzSuite(40);
